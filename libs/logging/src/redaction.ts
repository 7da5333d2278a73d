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

/**
 * Names that look like they carry a secret whatever a plugin or connection calls them
 * (`x-acme-auth`, `sig`, `access-key`, `my_token`, `pwd`...). Renamed token parameters and headers
 * must not leak just because nobody listed the new name.
 */
const SECRET_LOOKING_NAME = /(token|secret|passw|pwd|auth|sig|key|credential|session|cookie)/i;

/**
 * Extra secret names a process learns at run time: the token header and query parameter every
 * loaded plugin declares, and those a connection renames in its settings. Logging, stored
 * webhook rows and API views all consult it through isSecretHeader / isSecretQueryParam.
 */
const learned = { headers: new Set<string>(), query: new Set<string>() };

/** Registers a renamed token header and/or query parameter as secret (case-insensitive). */
export function registerSecretNames(names: { header?: string; queryParam?: string }): void {
  if (names.header) learned.headers.add(names.header.toLowerCase());
  if (names.queryParam) learned.query.add(names.queryParam.toLowerCase());
}

export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || learned.headers.has(lower) || SECRET_LOOKING_NAME.test(lower);
}

export function isSecretQueryParam(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_QUERY_PARAMS.has(lower) || learned.query.has(lower) || SECRET_LOOKING_NAME.test(lower);
}

/** Copy of the headers with secret values replaced. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = isSecretHeader(lower) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
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
    if (isSecretQueryParam(key)) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

/**
 * Free text (an error message, a provider's answer) with credential-shaped parts replaced:
 * `name=value` and `"name":"value"` pairs whose name looks secret, and Authorization-style
 * `Bearer|Token|Basic <value>`.
 */
export function redactSecretsInText(text: string): string {
  return text
    .replace(/\b(bearer|token|basic|digest)\s+[\w.~+/=:-]{4,}/gi, `$1 ${REDACTED}`)
    .replace(
      /(["']?)([\w.-]*(?:token|secret|passw|pwd|auth|sig|key|credential)[\w.-]*)\1(\s*[=:]\s*)(["']?)[^\s"'&,;}]+/gi,
      (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`,
    );
}
