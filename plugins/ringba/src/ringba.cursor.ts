import { ProviderError, type CallFilters } from '@switchboard/plugin-sdk';
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

export function encodeCursor(cursor: RingbaCursor): string {
  return Buffer.from(JSON.stringify({ v: VERSION, o: cursor.offset, s: cursor.scope })).toString('base64url');
}

export function decodeCursor(value: string, filters: CallFilters): RingbaCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('it is not a cursor this plugin returned');
  }
  const { v, o, s } = (parsed ?? {}) as { v?: unknown; o?: unknown; s?: unknown };
  if (v !== VERSION || typeof o !== 'number' || !Number.isInteger(o) || o < 0 || typeof s !== 'string') {
    throw invalidCursor('it is not a cursor this plugin returned');
  }
  if (s !== cursorScope(filters)) throw invalidCursor('it belongs to a different window or campaign');
  return { offset: o, scope: s };
}

function invalidCursor(why: string): ProviderError {
  return new ProviderError(
    RINGBA_PROVIDER,
    'invalid_cursor',
    false,
    `ringba call-log cursor rejected: ${why}`,
  );
}
