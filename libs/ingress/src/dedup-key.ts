import { createHash } from 'node:crypto';
import { clean } from './inbound-request.js';

/** Width of webhook_logs.dedup_key (VARCHAR(320)). */
export const DEDUP_KEY_MAX_LENGTH = 320;

/**
 * The key under which an accepted webhook claims its event (`webhook_logs.dedup_key`, unique).
 * Short keys stay readable (`<connection id>:<event id>`); a key that would not fit the column is
 * `<connection id>:sha256:<hex of the event id>`, so the key that is written and the key that is
 * looked up for a redelivery are always the same string. (Cutting long keys to the column width
 * when writing, while looking them up whole, made every redelivery of a long event id a 503.)
 */
export function webhookDedupKey(connectionId: string, eventId: string): string {
  const readable = clean(`${connectionId}:${eventId}`);
  if (readable.length <= DEDUP_KEY_MAX_LENGTH) return readable;
  return `${connectionId}:sha256:${createHash('sha256').update(eventId, 'utf8').digest('hex')}`;
}
