import { BadRequestException } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    if (t === null ? options.timeRequired : !/^-?\d{1,19}$/.test(String(t))) throw new Error('bad time');
    return { at: t === null ? null : String(t), id: i };
  } catch {
    throw new BadRequestException({
      error: 'invalid_cursor',
      message: 'cursor is not one this API returned',
    });
  }
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
