import type { ServerResponse } from 'node:http';
import { compareIds, type LiveCallEvent, type LiveCallStream, type LiveEntry } from '@switchboard/pipeline';
import type { CallFilterQuery } from './calls.dto.js';
import { phoneFilter } from './calls.service.js';

/** Comment line sent this often so proxies and clients see the stream is alive. */
export const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting. */
const RETRY_MS = 3_000;

export function matchesFilter(event: LiveCallEvent, filter: CallFilterQuery): boolean {
  const call = event.call;
  const connection = filter.connection ?? filter.connectionId;
  const number = phoneFilter(filter.number);
  return (
    (!connection || call.connectionId === connection) &&
    (!filter.provider || call.provider === filter.provider) &&
    (!filter.status || call.status === filter.status) &&
    (!filter.campaign || call.campaignExternalId === filter.campaign) &&
    (!number ||
      call.callerNumber === number ||
      call.trackingNumber === number ||
      call.destinationNumber === number)
  );
}

/**
 * Serves one SSE client on a raw response: optional catch-up from `lastEventId` out of the
 * stream's recent window, then live entries, with heartbeats. Live entries that arrive while the
 * catch-up is being sent are held and sent after it, each id once and in order.
 */
export async function serveLiveCalls(
  stream: LiveCallStream,
  raw: ServerResponse,
  filter: CallFilterQuery,
  lastEventId: string | undefined,
  heartbeatMs = HEARTBEAT_MS,
): Promise<() => void> {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${RETRY_MS}\n: connected\n\n`);

  let lastSeen = lastEventId;
  let catchingUp = lastEventId !== undefined;
  const held: LiveEntry[] = [];
  const send = (entry: LiveEntry) => {
    if (lastSeen !== undefined && compareIds(entry.id, lastSeen) <= 0) return;
    lastSeen = entry.id;
    if (!matchesFilter(entry.event, filter)) return;
    raw.write(`id: ${entry.id}\nevent: ${entry.event.type}\ndata: ${JSON.stringify(entry.event)}\n\n`);
  };

  const unsubscribe = await stream.subscribe({
    onEntry: (entry) => (catchingUp ? held.push(entry) : send(entry)),
    onClose: () => raw.end(),
  });
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  // Registered before anything else can fail, so a client that goes away is always let go of.
  raw.on('close', stop);
  try {
    if (lastEventId !== undefined) {
      try {
        const backlog = await stream.since(lastEventId);
        if (backlog.gap) {
          raw.write(
            `event: stream.gap\ndata: ${JSON.stringify({ message: 'some events after Last-Event-ID are no longer kept; re-read calls with GET /calls' })}\n\n`,
          );
        }
        for (const entry of backlog.entries) send(entry);
      } finally {
        for (const entry of held.splice(0)) send(entry);
        catchingUp = false;
      }
    }
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
