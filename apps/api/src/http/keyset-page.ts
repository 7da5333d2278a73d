import { BadRequestException } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Microseconds since 1970 of 9999-12-31: cursor times beyond it overflow PostgreSQL's timestamptz
 * arithmetic (a forged `"t":"9223372036854775807"` was a 500). No listing sorts on such times.
 */
const MAX_CURSOR_US = 253_402_300_799_999_999n;

/** Where a listing stopped: the sort time in microseconds (null sorts last) and the row id. */
export interface KeysetPosition {
  at: string | null;
  id: string;
}

/** Opaque cursor for a keyset position (base64url JSON, never parsed by clients). */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ t: position.at, i: position.id })).toString('base64url');
}

/**
 * Reads a cursor this API returned; anything else is a 400 `invalid_cursor`. Listings whose sort
 * time is never null (webhook logs) pass `timeRequired`.
 */
export function decodeCursor(cursor: string, options: { timeRequired?: boolean } = {}): KeysetPosition {
  try {
    const { t, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      t: unknown;
      i: unknown;
    };
    if (typeof i !== 'string' || !UUID.test(i)) throw new Error('bad id');
    if (t === null ? options.timeRequired : !isCursorTime(t)) throw new Error('bad time');
    return { at: t === null ? null : String(t), id: i };
  } catch {
    throw new BadRequestException({
      error: 'invalid_cursor',
      message: 'cursor is not one this API returned',
      details: { field: 'cursor' },
    });
  }
}

function isCursorTime(t: unknown): boolean {
  if (typeof t !== 'string' || !/^-?\d{1,19}$/.test(t)) return false;
  const us = BigInt(t);
  return us <= MAX_CURSOR_US && us >= -MAX_CURSOR_US;
}

/**
 * One page from rows fetched with `limit + 1` (the extra row only says whether there is more):
 * the views, and the cursor of the last row shown when there is a next page.
 */
export function keysetPage<Row extends { id: string; position_us: string | null }, View>(
  rows: readonly Row[],
  limit: number,
  view: (row: Row) => View,
): { items: View[]; nextCursor?: string } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.position_us, id: last.id }) : undefined,
  };
}
