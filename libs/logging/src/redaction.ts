/** Header names whose values are secrets in any request we log or store. */
export const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-switchboard-token',
  'x-admin-token',
  'webhook-signature',
  'svix-signature',
  'x-hub-signature',
  'x-hub-signature-256',
]);

/** Query parameter names whose values are secrets (webhook tokens, provider API keys). */
export const SECRET_QUERY_PARAMS = new Set([
  'token',
  'api_key',
  'apikey',
  'auth_token',
  'access_token',
  'secret',
  'key',
  'signature',
]);

export const REDACTED = '[redacted]';

/** Copy of the headers with secret values replaced. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = SECRET_HEADERS.has(lower) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A URL or path with secret query values replaced ("/webhooks/x/y?token=[redacted]&event=completed"). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_PARAMS.has(key.toLowerCase())) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}
