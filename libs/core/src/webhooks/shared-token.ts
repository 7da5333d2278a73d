import { createHash, timingSafeEqual } from 'node:crypto';
import type { VerificationResult } from '../contract/webhook.js';

export const DEFAULT_TOKEN_HEADER = 'x-switchboard-token';
export const DEFAULT_TOKEN_QUERY_PARAM = 'token';

/**
 * SHA-256 of a secret, the form tokens are compared in. Comparing fixed-length digests with
 * timingSafeEqual keeps the check constant-time even when the presented token has another length
 * (timingSafeEqual itself refuses buffers of different lengths, which would leak the length).
 */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Where a shared token is looked for: the header first, then the query parameter. */
export interface TokenLocation {
  header: string;
  queryParam: string;
}

/** The token a request presents, from the header or the query parameter (first value if repeated). */
export function presentedWebhookToken(
  headers: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string | string[]>>,
  location: TokenLocation,
): string | undefined {
  const fromHeader = headers[location.header.toLowerCase()];
  if (fromHeader) return fromHeader;
  const fromQuery = query[location.queryParam];
  const value = Array.isArray(fromQuery) ? fromQuery[0] : fromQuery;
  return value || undefined;
}

/**
 * Compares a presented token with the digests of the active secrets (newest first). Every digest
 * is compared, whatever matched, so the time taken does not say which secret was close.
 */
export function verifySharedToken(
  presented: string | undefined,
  secretDigests: readonly Buffer[],
): VerificationResult {
  if (presented === undefined) return { ok: false, reason: 'missing_token' };
  const candidate = tokenDigest(presented);
  let matched = -1;
  secretDigests.forEach((expected, index) => {
    if (timingSafeEqual(candidate, expected) && matched < 0) matched = index;
  });
  return matched >= 0 ? { ok: true, secretIndex: matched } : { ok: false, reason: 'invalid_token' };
}
