import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Backlog, LiveCallStream, LiveEntry, LiveSubscriber } from '@switchboard/pipeline';
import { serveLiveCalls } from './live-calls.sse.js';

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  ended = false;
  writeHead() {
    return this;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.ended = true;
  }
  get text() {
    return this.chunks.join('');
  }
}

const entry = (id: string, provider = 'ringba', status = 'completed'): LiveEntry => ({
  id,
  event: {
    type: 'call.completed',
    eventTypes: ['call.completed'],
    call: { id: `c${id}`, provider, status } as never,
  },
});

function fakeStream(backlog: Backlog, onSubscribe?: (s: LiveSubscriber) => void) {
  const subscribers = new Set<LiveSubscriber>();
  const stream = {
    async subscribe(s: LiveSubscriber) {
      subscribers.add(s);
      onSubscribe?.(s);
      return () => subscribers.delete(s);
    },
    async since() {
      return backlog;
    },
  } as unknown as LiveCallStream;
  return { stream, subscribers };
}

describe('serveLiveCalls (SSE)', () => {
  it('sends the backlog after Last-Event-ID, then entries that arrived meanwhile, each once and in order', async () => {
    const raw = new FakeResponse();
    const { stream } = fakeStream({ entries: [entry('5-0'), entry('6-0')], gap: false }, (s) => {
      s.onEntry(entry('6-0')); // arrives while the backlog is read: sent once
      s.onEntry(entry('7-0'));
    });
    const stop = await serveLiveCalls(stream, raw as unknown as ServerResponse, {}, '4-0', 60_000);
    const ids = [...raw.text.matchAll(/^id: (.+)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(['5-0', '6-0', '7-0']);
    stop();
  });

  it('applies the client filter and announces a gap in the window', async () => {
    const raw = new FakeResponse();
    const { stream } = fakeStream({
      entries: [entry('2-0', 'retreaver'), entry('3-0', 'ringba', 'ringing')],
      gap: true,
    });
    const stop = await serveLiveCalls(
      stream,
      raw as unknown as ServerResponse,
      { provider: 'ringba', status: 'ringing' },
      '1-0',
      60_000,
    );
    expect(raw.text).toContain('event: stream.gap');
    expect([...raw.text.matchAll(/^id: (.+)$/gm)].map((m) => m[1])).toEqual(['3-0']);
    stop();
  });

  it('writes a heartbeat comment on its interval and stops when the client goes away', async () => {
    jest.useFakeTimers();
    try {
      const raw = new FakeResponse();
      const { stream, subscribers } = fakeStream({ entries: [], gap: false });
      await serveLiveCalls(stream, raw as unknown as ServerResponse, {}, undefined, 15_000);
      jest.advanceTimersByTime(45_000);
      expect(raw.text.match(/: heartbeat/g)).toHaveLength(3);
      raw.emit('close');
      expect(subscribers.size).toBe(0);
      jest.advanceTimersByTime(60_000);
      expect(raw.text.match(/: heartbeat/g)).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
