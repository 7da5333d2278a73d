/**
 * The console's only way to the API. The token lives in this module's memory: never in a URL,
 * localStorage or sessionStorage, so closing or reloading the tab signs out.
 */
let token: string | undefined;

export function setToken(value: string | undefined): void {
  token = value;
}

export function hasToken(): boolean {
  return token !== undefined;
}

/** The API root, derived from where the console is served (<prefix>/console/ -> <prefix>/). */
export function apiBase(): string {
  return new URL('../', window.location.href).toString().replace(/#.*$/, '');
}

export function apiUrl(path: string, query?: Record<string, string | number | undefined>): string {
  const url = new URL(path.replace(/^\//, ''), apiBase());
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  return url.toString();
}

export function authHeaders(): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The API's machine-readable error body, kept whole so pages can show field-level problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

let onUnauthorized: (() => void) | undefined;
/** Called when the API answers 401 (token revoked or expired): the session ends. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(
  method: string,
  path: string,
  options: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers: {
        ...authHeaders(),
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The API cannot be reached. Is it running? Check the network.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a proxy error page): reported below
  }
  if (!response.ok) {
    const e = (body ?? {}) as {
      error?: string;
      message?: string | string[];
      details?: unknown;
      requestId?: string;
    };
    const message = Array.isArray(e.message)
      ? e.message.join('; ')
      : (e.message ?? `HTTP ${response.status}`);
    if (response.status === 401 && path !== '/me') onUnauthorized?.();
    throw new ApiError(
      response.status,
      e.error ?? `http_${response.status}`,
      message,
      e.details,
      e.requestId,
    );
  }
  return body as T;
}
