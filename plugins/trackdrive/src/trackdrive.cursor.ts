import { cursorCodec } from '@switchboard/plugin-sdk';
import { TRACKDRIVE } from './trackdrive.constants.js';

/**
 * Our opaque cursor for getCalls: TrackDrive's own `metadata.next_cursor`, kept as the exact
 * string the API sent (it is a large number; we never do arithmetic on it), wrapped with a
 * version so the format can change without misreading old saved cursors.
 */
export interface TrackDriveCursor {
  /** TrackDrive's cursor value to send as `cursor`. */
  cursor: string;
}

const codec = cursorCodec<TrackDriveCursor>({
  provider: TRACKDRIVE,
  prefix: 'td1.',
  write: (value) => ({ c: value.cursor }),
  read: (payload) => {
    const cursor = (payload as { c?: unknown } | null)?.c;
    return typeof cursor === 'string' && isProviderCursor(cursor) ? { cursor } : undefined;
  },
});

export function encodeCursor(value: TrackDriveCursor): string {
  return codec.encode(value);
}

export function decodeCursor(encoded: string): TrackDriveCursor {
  return codec.decode(encoded);
}

/** TrackDrive cursors are decimal numbers ("-1", "171883555347870", "1.7188355534787E+14"). */
export function isProviderCursor(value: string): boolean {
  return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value);
}

/** Reads metadata.next_cursor; undefined when it says "last page" (0) or is missing/garbled. */
export function readNextCursor(value: unknown, rawText?: string): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value === 0) return undefined;
    // Above 2^53 JSON.parse already rounded the number: the exact digits are in the raw body.
    if (!Number.isSafeInteger(value) && rawText !== undefined) {
      const exact = /"next_cursor"\s*:\s*(-?\d+)(?![\d.eE])/.exec(rawText)?.[1];
      if (exact !== undefined) return exact;
    }
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!isProviderCursor(text) || Number(text) === 0) return undefined;
  return text;
}
