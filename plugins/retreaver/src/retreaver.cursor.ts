import { ProviderError } from '@switchboard/plugin-sdk';
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

const PREFIX = 'rt1.';

export function encodeCursor(query: Record<string, string>): string {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!(CREDENTIAL_QUERY_PARAMS as readonly string[]).includes(key)) clean[key] = value;
  }
  return PREFIX + Buffer.from(JSON.stringify({ q: clean }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): RetreaverCursor {
  const invalid = () =>
    new ProviderError(PROVIDER, 'invalid_cursor', false, 'retreaver cursor is not one this plugin issued');
  if (!cursor.startsWith(PREFIX)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const q = (parsed as { q?: unknown } | null)?.q;
  if (!q || typeof q !== 'object' || Array.isArray(q)) throw invalid();
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(q as Record<string, unknown>)) {
    if (typeof value !== 'string') throw invalid();
    if ((CREDENTIAL_QUERY_PARAMS as readonly string[]).includes(key)) continue;
    query[key] = value;
  }
  return { query };
}
