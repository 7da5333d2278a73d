import { cursorCodec, type CallFilters } from '@switchboard/plugin-sdk';
import { RINGBA_PROVIDER } from './ringba.constants.js';

/**
 * Position in a call-log report. Ringba pages by `offset` (R1); the cursor also records the window
 * and campaign it belongs to, so a cursor replayed against different filters fails loudly instead
 * of silently skipping calls.
 */
export interface RingbaCursor {
  offset: number;
  /** `${from ms}-${to ms}-${campaign id or ''}` */
  scope: string;
}

const VERSION = 1;

export function cursorScope(filters: CallFilters): string {
  return `${filters.from.getTime()}-${filters.to.getTime()}-${filters.campaignExternalId ?? ''}`;
}

// No prefix: Ringba cursors stored before the SDK had codecs are base64url JSON with a version field.
const codec = cursorCodec<RingbaCursor>({
  provider: RINGBA_PROVIDER,
  prefix: '',
  write: (cursor) => ({ v: VERSION, o: cursor.offset, s: cursor.scope }),
  read: (payload) => {
    const { v, o, s } = (payload ?? {}) as { v?: unknown; o?: unknown; s?: unknown };
    if (v !== VERSION || typeof o !== 'number' || !Number.isInteger(o) || o < 0 || typeof s !== 'string')
      return undefined;
    return { offset: o, scope: s };
  },
});

export function encodeCursor(cursor: RingbaCursor): string {
  return codec.encode(cursor);
}

export function decodeCursor(value: string, filters: CallFilters): RingbaCursor {
  const cursor = codec.decode(value);
  if (cursor.scope !== cursorScope(filters))
    throw codec.invalid('it belongs to a different window or campaign');
  return cursor;
}
