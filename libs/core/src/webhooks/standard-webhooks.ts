import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerificationResult } from '../contract/webhook.js';

/**
 * HMAC-SHA256 signatures in the Standard Webhooks form (the one Svix uses):
 *   webhook-id: msg_...            webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64> [v1,<base64> ...]   (space-separated; several while rotating)
 * Signed content is `${id}.${timestamp}.${rawBody}`; the key is the base64 part of `whsec_<base64>`.
 * The `svix-*` header names are accepted too, so a Svix relay can sit in front unchanged.
 */
export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

const SVIX_HEADERS = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' } as const;
const SECRET_PREFIX = 'whsec_';
const SIGNATURE_BYTES = 32;
/** More entries than this is not rotation but an attempt to make us hash a lot. */
const MAX_SIGNATURES = 8;

/** Key bytes of a `whsec_<base64>` secret (base64url accepted). A secret without the prefix is read as base64 too. */
export function standardWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('webhook secret has no key bytes');
  return key;
}

/** The `v1,<base64>` signature of one message (what a sender puts in webhook-signature). */
export function signStandardWebhook(
  key: Buffer | string,
  id: string,
  timestampSeconds: number,
  body: Buffer | string,
): string {
  const bytes = typeof key === 'string' ? standardWebhookKey(key) : key;
  return `v1,${digest(bytes, id, String(timestampSeconds), body).toString('base64')}`;
}

export interface StandardWebhookOptions {
  /** Active keys, newest first (see standardWebhookKey). */
  keys: readonly Buffer[];
  /** How far webhook-timestamp may be from now, either way. */
  toleranceSeconds: number;
  now?: Date;
}

/** The message id of a Standard Webhooks request (webhook-id or svix-id), when present. */
export function standardWebhookId(headers: Readonly<Record<string, string>>): string | undefined {
  return headers[STANDARD_WEBHOOK_HEADERS.id] ?? headers[SVIX_HEADERS.id];
}

/**
 * Checks a request's signature against every active key. Constant time per candidate (the
 * comparison never stops at the first differing byte) and no early exit between keys, so timing
 * tells nothing about which key or which byte was wrong. The timestamp window stops a captured
 * request from being replayed later.
 */
export function verifyStandardWebhook(
  headers: Readonly<Record<string, string>>,
  rawBody: Buffer,
  options: StandardWebhookOptions,
): VerificationResult {
  const names =
    headers[STANDARD_WEBHOOK_HEADERS.signature] !== undefined ? STANDARD_WEBHOOK_HEADERS : SVIX_HEADERS;
  const id = headers[names.id];
  const timestamp = headers[names.timestamp];
  const signature = headers[names.signature];
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid_signature' };
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > options.toleranceSeconds) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  const presented = parseSignatures(signature);
  if (presented.length === 0 || options.keys.length === 0) return { ok: false, reason: 'invalid_signature' };

  let matched = -1;
  options.keys.forEach((key, index) => {
    const expected = digest(key, id, timestamp, rawBody);
    for (const candidate of presented) {
      if (timingSafeEqual(expected, candidate) && matched < 0) matched = index;
    }
  });
  return matched >= 0 ? { ok: true, secretIndex: matched } : { ok: false, reason: 'invalid_signature' };
}

function digest(key: Buffer, id: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The v1 entries of a webhook-signature header as 32-byte buffers; other versions and junk are skipped. */
function parseSignatures(header: string): Buffer[] {
  const out: Buffer[] = [];
  for (const entry of header.split(' ')) {
    if (out.length >= MAX_SIGNATURES) break;
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const bytes = Buffer.from(entry.slice(comma + 1), 'base64');
    if (bytes.length === SIGNATURE_BYTES) out.push(bytes);
  }
  return out;
}
