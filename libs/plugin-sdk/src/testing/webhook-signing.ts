import { createHmac, randomBytes } from 'node:crypto';
import type { InboundWebhook } from '../index.js';

/**
 * Test helpers to sign, tamper and strip sample webhooks, so a plugin's verifyWebhook (or the
 * connection's HMAC scheme) can be exercised with good and bad requests.
 */

/** A fresh Standard Webhooks secret (`whsec_<base64>`), as the platform generates for HMAC connections. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface SignOptions {
  /** The message id (webhook-id); default a random `msg_...`. */
  id?: string;
  /** When the request was signed (webhook-timestamp); default now. Use an old date for an expired request. */
  at?: Date;
}

/**
 * Signs a request the way the platform's `hmac` scheme checks it (Standard Webhooks: HMAC-SHA256 of
 * `${id}.${timestamp}.${rawBody}` with the key of `whsec_<base64>`), adding the three headers.
 */
export function signStandardWebhook(
  request: InboundWebhook,
  secret: string,
  options: SignOptions = {},
): InboundWebhook {
  const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = String(Math.floor((options.at ?? new Date()).getTime() / 1000));
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const signature = createHmac('sha256', Buffer.from(encoded, 'base64'))
    .update(`${id}.${timestamp}.`)
    .update(request.rawBody)
    .digest('base64');
  return {
    ...request,
    headers: {
      ...request.headers,
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}

/**
 * The same request with its content changed after signing: the first string field of a JSON or
 * form body gets an extra character (raw body rebuilt), or, for a body-less request (a GET pixel),
 * the first query value that is not the signature itself. A verifier must refuse it.
 */
export function tamperWebhook(request: InboundWebhook): InboundWebhook {
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const fields = { ...(body as Record<string, unknown>) };
    const key = Object.keys(fields).find((k) => typeof fields[k] === 'string');
    if (key !== undefined) {
      fields[key] = `${String(fields[key])}0`;
      const form = request.contentType?.includes('x-www-form-urlencoded');
      const raw = form
        ? new URLSearchParams(fields as Record<string, string>).toString()
        : JSON.stringify(fields);
      return { ...request, body: fields, rawBody: Buffer.from(raw) };
    }
  }
  if (request.rawBody.length > 0) {
    return { ...request, rawBody: Buffer.concat([request.rawBody, Buffer.from(' ')]) };
  }
  const query = { ...request.query };
  const key = Object.keys(query).find((k) => !/sig|token|hash/i.test(k));
  if (key !== undefined) query[key] = `${String(query[key])}0`;
  else query.tampered = '1';
  return { ...request, query };
}

/** The request without the headers (and query parameters) `signed` added to `original`. */
export function unsignWebhook(signed: InboundWebhook, original: InboundWebhook): InboundWebhook {
  const headers = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name in original.headers),
  );
  const query = Object.fromEntries(Object.entries(signed.query).filter(([name]) => name in original.query));
  return { ...signed, headers, query };
}
