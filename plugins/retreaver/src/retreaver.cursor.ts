import { cursorCodec } from '@switchboard/plugin-sdk';
import { CREDENTIAL_QUERY_PARAMS, PROVIDER } from './retreaver.constants.js';

/**
 * Where the next page of `GET /api/v2/calls.json` starts: the query of the `rel="next"` link
 * Retreaver returned, minus the credentials. Retreaver's links repeat `api_key` in the URL, and
 * cursors are stored in the database (sync_status), so the key is stripped here and added back
 * on every request from the connection's credentials.
 */
export interface RetreaverCursor {
  /** Query parameters for the next request (page, per_page, window, sort...). */
  query: Record<string, string>;
}

const isCredential = (key: string) => (CREDENTIAL_QUERY_PARAMS as readonly string[]).includes(key);

const codec = cursorCodec<RetreaverCursor>({
  provider: PROVIDER,
  prefix: 'rt1.',
  write: ({ query }) => ({ q: query }),
  read: (payload) => {
    const q = (payload as { q?: unknown } | null)?.q;
    if (!q || typeof q !== 'object' || Array.isArray(q)) return undefined;
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(q as Record<string, unknown>)) {
      if (typeof value !== 'string') return undefined;
      if (!isCredential(key)) query[key] = value;
    }
    return { query };
  },
});

export function encodeCursor(query: Record<string, string>): string {
  return codec.encode({
    query: Object.fromEntries(Object.entries(query).filter(([key]) => !isCredential(key))),
  });
}

export function decodeCursor(cursor: string): RetreaverCursor {
  return codec.decode(cursor);
}
