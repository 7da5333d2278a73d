import { SwitchboardError } from '../errors/switchboard-error.js';

/** The body could not be read as its content type says (400 at the ingress, "malformed"). */
export class MalformedBodyError extends SwitchboardError {
  readonly code = 'malformed_body';
}

/**
 * Parses a webhook body the way providers send them: JSON, form-encoded (repeated keys become
 * arrays), or nothing (GET pixels carry their data in the query string). Other content types are
 * kept as text. The ingress and the worker both use this, so a payload means the same in both.
 */
export function parseWebhookBody(rawBody: Buffer, contentType: string | undefined): unknown {
  if (rawBody.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = rawBody.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json') || (type === '' && /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new MalformedBodyError(`body is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    if (/%(?![0-9a-fA-F]{2})/.test(text))
      throw new MalformedBodyError('form body has an invalid percent-encoding');
    return queryToObject(new URLSearchParams(text));
  }
  return text;
}

/** URLSearchParams to a plain object; keys that repeat become arrays. */
export function queryToObject(params: URLSearchParams): Record<string, string | string[]> {
  // Keys are the sender's: "valueOf", "constructor" or "__proto__" must be plain keys, not the
  // prototype's members (a "valueOf=" parameter made the ingress answer 500).
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of params) {
    const existing = Object.hasOwn(out, key) ? out[key] : undefined;
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return { ...out };
}
