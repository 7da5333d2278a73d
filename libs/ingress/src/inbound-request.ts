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

/** Text safe for a PostgreSQL text or jsonb value. */
export function clean(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
