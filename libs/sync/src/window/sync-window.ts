/** A half-open time window [from, to) by call start time, as the plugins' getCalls takes it. */
export interface SyncWindow {
  from: Date;
  to: Date;
}

export interface IncrementalWindowInput {
  /** End of the last successful scheduled sync's window (none before the first). */
  highWaterMark: Date | null;
  now: Date;
  /** Overlap re-read before the mark, so late edits at the provider are picked up. */
  lookbackSeconds: number;
}

/**
 * The scheduled sync's next window: from the high-water mark minus the lookback, up to now. The
 * first sync of a connection reads one lookback back from now. A mark in the future (a clock that
 * jumped) is treated as now, so the window is never empty.
 */
export function incrementalWindow({
  highWaterMark,
  now,
  lookbackSeconds,
}: IncrementalWindowInput): SyncWindow {
  const mark = highWaterMark && highWaterMark.getTime() < now.getTime() ? highWaterMark : now;
  return { from: new Date(mark.getTime() - lookbackSeconds * 1000), to: now };
}

/** How many chunks of `chunkSeconds` cover [from, to). */
export function chunkCount(window: SyncWindow, chunkSeconds: number): number {
  const span = window.to.getTime() - window.from.getTime();
  return Math.max(1, Math.ceil(span / (chunkSeconds * 1000)));
}

/** Chunk `index` (0-based) of a window split into `chunkSeconds` pieces; the last one ends at `to`. */
export function chunkWindow(window: SyncWindow, chunkSeconds: number, index: number): SyncWindow {
  const from = window.from.getTime() + index * chunkSeconds * 1000;
  return {
    from: new Date(from),
    to: new Date(Math.min(from + chunkSeconds * 1000, window.to.getTime())),
  };
}

export interface RunProgress {
  /** 0 to 100. */
  percent: number;
  /** Provider calls read per second since the run started. */
  callsPerSecond: number | null;
  /** Seconds left at the pace of the chunks done so far (null until one is done). */
  etaSeconds: number | null;
}

/** Progress of a chunked run from its counters. */
export function runProgress(input: {
  chunksDone: number;
  chunksTotal: number;
  callsSeen: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  now: Date;
}): RunProgress {
  const percent = input.chunksTotal === 0 ? 100 : Math.floor((input.chunksDone / input.chunksTotal) * 100);
  if (!input.startedAt) return { percent, callsPerSecond: null, etaSeconds: null };
  const end = input.finishedAt ?? input.now;
  const elapsed = Math.max(0.001, (end.getTime() - input.startedAt.getTime()) / 1000);
  const callsPerSecond = Math.round((input.callsSeen / elapsed) * 10) / 10;
  if (input.finishedAt || input.chunksDone >= input.chunksTotal)
    return { percent, callsPerSecond, etaSeconds: 0 };
  if (input.chunksDone === 0) return { percent, callsPerSecond, etaSeconds: null };
  const etaSeconds = Math.round((elapsed / input.chunksDone) * (input.chunksTotal - input.chunksDone));
  return { percent, callsPerSecond, etaSeconds };
}
