/** What a plugin gets from the platform for one connection. Plugins never reach for anything else. */
export interface ProviderContext<TCredentials = unknown> {
  readonly connectionId: string;
  /** Plugin type id, e.g. "ringba". */
  readonly provider: string;
  /** Decrypted credentials, already validated against the plugin's credential schema. */
  readonly credentials: TCredentials;
  /** Connection settings (free-form, plugin-defined keys plus the platform's). */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * Overrides the provider's API base URL (simulators, sandboxes, regional hosts). Plugins must
   * prefer it over their built-in default when set.
   */
  readonly apiBaseUrl?: string;
  /** Public URL of this connection's webhook endpoint (`.../webhooks/:provider/:connectionId`). */
  readonly webhookUrl: string;
  readonly http: ProviderHttpClient;
  readonly logger: PluginLogger;
  now(): Date;
}

export interface ProviderHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL. */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Low-cardinality name of the operation for metrics ("calllogs", "calls.list"). */
  endpoint: string;
  timeoutMs?: number;
  /**
   * Retry retryable failures (network, timeout, 429, 5xx) with the platform's backoff policy.
   * Defaults to true for GET/PUT/DELETE and false for POST/PATCH; set true for a POST that only
   * reads (Ringba's call-log report is a POST).
   */
  retry?: boolean;
  /**
   * Statuses the caller handles itself instead of getting a ProviderError
   * (e.g. [404] for getCall to tell "not found" apart).
   */
  acceptStatus?: number[];
}

export interface ProviderHttpResponse<T = unknown> {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the response is JSON, else the text. */
  body: T;
  /**
   * The body text as received, when the client kept it: JSON.parse rounds integers above 2^53,
   * so a plugin that must keep such a number exact (a numeric paging cursor) reads it from here.
   */
  text?: string;
}

/**
 * Outbound HTTP for plugins: keep-alive pool, timeouts, the connection's shared rate limit and
 * metrics. Turns failures into ProviderError: network errors, timeouts, 429 (with Retry-After)
 * and 5xx are retryable; 401/403 become CredentialsError; other 4xx are not retryable.
 */
export interface ProviderHttpClient {
  request<T = unknown>(request: ProviderHttpRequest): Promise<ProviderHttpResponse<T>>;
}

/** Structured logger. Never pass credentials or tokens to it. */
export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
