import { queryToObject } from '@switchboard/core';
import { SECRET_HEADERS, SECRET_QUERY_PARAMS } from '@switchboard/logging';

/** Header values as node gives them. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Lower-cased names, repeated headers joined with ", " (as HTTP defines). */
export function flattenHeaders(headers: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The query string of a request URL as an object; repeated keys become arrays. */
export function parseQuery(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  return q < 0 ? {} : queryToObject(new URLSearchParams(url.slice(q + 1)));
}

/** Names a connection's requests must never store or hand to a mapper: the platform's list plus its own token names. */
export interface SecretNames {
  headers: ReadonlySet<string>;
  query: ReadonlySet<string>;
}

export function secretNames(tokenHeader: string, tokenQueryParam: string): SecretNames {
  return {
    headers: new Set([...SECRET_HEADERS, tokenHeader.toLowerCase()]),
    query: new Set([...SECRET_QUERY_PARAMS, tokenQueryParam.toLowerCase()]),
  };
}

export const DEFAULT_SECRET_NAMES = secretNames('x-switchboard-token', 'token');

/**
 * Copies without secret-bearing entries, and without NUL characters (PostgreSQL's jsonb refuses
 * them, and one such request must not spoil the batch it is written in).
 */
export function withoutSecretHeaders(
  headers: Record<string, string>,
  names: SecretNames,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!names.headers.has(name)) out[name] = clean(value);
  }
  return out;
}

export function withoutSecretParams(
  query: Record<string, string | string[]>,
  names: SecretNames,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (names.query.has(key.toLowerCase())) continue;
    out[clean(key)] = Array.isArray(value) ? value.map(clean) : clean(value);
  }
  return out;
}

/**
 * A body without secret-bearing keys (the connection's token name and the platform's list, as for
 * query strings), at any depth of a JSON object or in a form body. Providers such as Retreaver let
 * users put the token in the body; after verification it must not be stored or handed to a
 * mapper. Bodies without such a key are returned as they are (no re-serialization on the hot path).
 */
export function withoutSecretBody(
  rawBody: Buffer,
  body: unknown,
  contentType: string | undefined,
  names: SecretNames,
): { rawBody: Buffer; body: unknown } {
  if (!hasSecretKey(body, names.query, 0)) return { rawBody, body };
  const stripped = stripSecretKeys(body, names.query);
  if (contentType?.toLowerCase().includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(rawBody.toString('utf8'));
    for (const key of [...form.keys()]) if (names.query.has(key.toLowerCase())) form.delete(key);
    return { rawBody: Buffer.from(form.toString()), body: stripped };
  }
  return { rawBody: Buffer.from(JSON.stringify(stripped)), body: stripped };
}

/** Deep enough for any real payload; deeper bodies are refused as unstorable anyway. */
const MAX_SECRET_SCAN_DEPTH = 32;

function hasSecretKey(value: unknown, names: ReadonlySet<string>, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_SECRET_SCAN_DEPTH) return false;
  if (Array.isArray(value)) return value.some((item) => hasSecretKey(item, names, depth + 1));
  return Object.entries(value as Record<string, unknown>).some(
    ([key, item]) => names.has(key.toLowerCase()) || hasSecretKey(item, names, depth + 1),
  );
}

function stripSecretKeys(value: unknown, names: ReadonlySet<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => stripSecretKeys(item, names));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!names.has(key.toLowerCase())) out[key] = stripSecretKeys(item, names);
  }
  return out;
}

/** Text safe for a PostgreSQL text or jsonb value. */
export function clean(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
