import { chunkCount, chunkWindow, incrementalWindow, runProgress } from './sync-window.js';

const at = (iso: string) => new Date(iso);

describe('incrementalWindow', () => {
  it('re-reads the lookback before the high-water mark, up to now', () => {
    const w = incrementalWindow({
      highWaterMark: at('2026-01-01T10:00:00Z'),
      now: at('2026-01-01T10:05:00Z'),
      lookbackSeconds: 3600,
    });
    expect(w).toEqual({ from: at('2026-01-01T09:00:00Z'), to: at('2026-01-01T10:05:00Z') });
  });

  it('reads one lookback back from now on the first sync', () => {
    const w = incrementalWindow({
      highWaterMark: null,
      now: at('2026-01-02T00:00:00Z'),
      lookbackSeconds: 86400,
    });
    expect(w.from).toEqual(at('2026-01-01T00:00:00Z'));
  });

  it('never produces an empty window when the mark is in the future', () => {
    const w = incrementalWindow({
      highWaterMark: at('2030-01-01T00:00:00Z'),
      now: at('2026-01-01T00:00:00Z'),
      lookbackSeconds: 60,
    });
    expect(w.to.getTime() - w.from.getTime()).toBe(60_000);
  });
});

describe('chunks', () => {
  const window = { from: at('2026-01-01T00:00:00Z'), to: at('2026-01-03T12:00:00Z') };

  it('splits a window into whole chunks, the last one ending at the window end', () => {
    expect(chunkCount(window, 86400)).toBe(3);
    expect(chunkWindow(window, 86400, 0)).toEqual({
      from: at('2026-01-01T00:00:00Z'),
      to: at('2026-01-02T00:00:00Z'),
    });
    expect(chunkWindow(window, 86400, 2)).toEqual({
      from: at('2026-01-03T00:00:00Z'),
      to: at('2026-01-03T12:00:00Z'),
    });
  });

  it('covers every instant exactly once', () => {
    const n = chunkCount(window, 7 * 3600);
    let cursor = window.from.getTime();
    for (let i = 0; i < n; i++) {
      const c = chunkWindow(window, 7 * 3600, i);
      expect(c.from.getTime()).toBe(cursor);
      cursor = c.to.getTime();
    }
    expect(cursor).toBe(window.to.getTime());
  });
});

describe('runProgress', () => {
  it('estimates the time left from the pace of the chunks done', () => {
    const p = runProgress({
      chunksDone: 2,
      chunksTotal: 10,
      callsSeen: 400,
      startedAt: at('2026-01-01T00:00:00Z'),
      finishedAt: null,
      now: at('2026-01-01T00:00:20Z'),
    });
    expect(p).toEqual({ percent: 20, callsPerSecond: 20, etaSeconds: 80 });
  });

  it('has no estimate before the first chunk and none left once finished', () => {
    const base = {
      chunksTotal: 4,
      callsSeen: 0,
      startedAt: at('2026-01-01T00:00:00Z'),
      now: at('2026-01-01T00:00:10Z'),
    };
    expect(runProgress({ ...base, chunksDone: 0, finishedAt: null }).etaSeconds).toBeNull();
    expect(runProgress({ ...base, chunksDone: 4, finishedAt: at('2026-01-01T00:00:09Z') }).etaSeconds).toBe(
      0,
    );
  });
});
