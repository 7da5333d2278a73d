import { fetchEventSource } from '@microsoft/fetch-event-source';
import { apiUrl, authHeaders } from './api';
import type { Call } from './types';

export interface LiveCallEvent {
  type: string;
  eventTypes: string[];
  call: Call;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

class FatalStreamError extends Error {}

/**
 * GET /calls/stream over fetch, not EventSource: EventSource cannot send the Authorization header,
 * and the token must not go into the URL. Reconnects with Last-Event-ID (the library keeps it), so
 * a dropped connection misses nothing the stream still holds.
 */
export function subscribeLiveCalls(
  filter: Record<string, string | undefined>,
  handlers: { onEvent(event: LiveCallEvent): void; onState(state: LiveState, detail?: string): void },
): () => void {
  const controller = new AbortController();
  handlers.onState('connecting');
  void fetchEventSource(apiUrl('/calls/stream', filter), {
    headers: authHeaders(),
    signal: controller.signal,
    openWhenHidden: true,
    async onopen(response) {
      if (response.ok && response.headers.get('content-type')?.includes('text/event-stream')) {
        handlers.onState('live');
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      const message = body.message ?? `HTTP ${response.status}`;
      if (response.status >= 400 && response.status < 500) throw new FatalStreamError(message);
      throw new Error(message);
    },
    onmessage(message) {
      if (message.event === 'stream.error' || message.event === 'stream.gap' || !message.data) return;
      try {
        handlers.onEvent(JSON.parse(message.data) as LiveCallEvent);
      } catch {
        // a malformed entry is skipped; the next one still counts
      }
    },
    onclose() {
      handlers.onState('reconnecting');
      throw new Error('closed'); // makes the library reconnect
    },
    onerror(error) {
      if (error instanceof FatalStreamError) {
        handlers.onState('stopped', error.message);
        throw error;
      }
      handlers.onState('reconnecting', (error as Error).message);
      return 3_000;
    },
  }).catch(() => undefined);
  return () => {
    controller.abort();
    handlers.onState('stopped');
  };
}
