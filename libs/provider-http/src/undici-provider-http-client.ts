import {
  CredentialsError,
  ProviderError,
  RetryPolicy,
  type PluginLogger,
  type PluginRateLimits,
  type ProviderHttpClient,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
} from '@switchboard/core';
import { Agent, errors as undiciErrors, request as undiciRequest, type Dispatcher } from 'undici';
import type { ProviderHttpObserver } from './http-observer.js';
import { NO_RATE_LIMIT, type RateLimiter } from './rate-limiter.js';
import { parseRetryAfter } from './retry-after.js';

export interface ProviderHttpClientOptions {
  provider: string;
  /** Key of the shared rate-limit budget, normally the connection id. */
  rateLimitKey: string;
  rateLimits?: PluginRateLimits;
  rateLimiter?: RateLimiter;
  retryPolicy?: RetryPolicy;
  observer?: ProviderHttpObserver;
  logger?: PluginLogger;
  /** Keep-alive connection pool; one per process is enough (see sharedDispatcher). */
  dispatcher?: Dispatcher;
  defaultTimeoutMs?: number;
}

const SAFE_BY_DEFAULT = new Set(['GET', 'PUT', 'DELETE']);
let shared: Dispatcher | undefined;

/** One keep-alive pool for every provider request in the process. */
export function sharedDispatcher(): Dispatcher {
  shared ??= new Agent({ keepAliveTimeout: 30_000, connections: 64, connect: { timeout: 10_000 } });
  return shared;
}

/**
 * The ProviderHttpClient plugins get. Turns every failure into a ProviderError that says whether
 * it is worth retrying, retries those with backoff, honours Retry-After, and never puts a URL's
 * query string (where Retreaver keeps its api_key) or a request header into an error message.
 */
export class UndiciProviderHttpClient implements ProviderHttpClient {
  private readonly retryPolicy: RetryPolicy;
  private readonly rateLimiter: RateLimiter;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ProviderHttpClientOptions) {
    this.retryPolicy =
      options.retryPolicy ?? new RetryPolicy({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 });
    this.rateLimiter = options.rateLimiter ?? NO_RATE_LIMIT;
    this.dispatcher = options.dispatcher ?? sharedDispatcher();
  }

  async request<T = unknown>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
    const retry = req.retry ?? SAFE_BY_DEFAULT.has(req.method);
    if (!retry) return this.once<T>(req);
    return this.retryPolicy.execute(() => this.once<T>(req), {
      onRetry: (error, attempt, delayMs) =>
        this.options.logger?.warn('provider request failed, retrying', {
          provider: this.options.provider,
          endpoint: req.endpoint,
          attempt,
          delayMs,
          code: error instanceof ProviderError ? error.code : 'unknown',
        }),
    });
  }

  private async once<T>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
    const url = new URL(req.url);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }

    await this.rateLimiter.acquire(this.options.rateLimitKey, this.options.rateLimits ?? {});
    const timeout = req.timeoutMs ?? this.options.defaultTimeoutMs ?? 30_000;
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await undiciRequest(url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      text = await response.body.text().catch(() => '');
    } catch (error) {
      this.observe(req.endpoint, 'error', started);
      throw this.networkError(req, error);
    } finally {
      this.rateLimiter.release?.(this.options.rateLimitKey);
    }
    this.observe(req.endpoint, response.statusCode, started);
    const responseHeaders = flattenHeaders(response.headers);
    const status = response.statusCode;
    const ok = (status >= 200 && status < 300) || req.acceptStatus?.includes(status);
    if (!ok) throw this.statusError(req, status, responseHeaders, text);
    return {
      status,
      headers: responseHeaders,
      body: parseBody(text, responseHeaders['content-type']) as T,
      text,
    };
  }

  private statusError(
    req: ProviderHttpRequest,
    status: number,
    headers: Record<string, string>,
    text: string,
  ): Error {
    const { provider } = this.options;
    const what = `${provider} ${req.method} ${req.endpoint} answered ${status}`;
    const detail = summarize(text);
    if (status === 401 || status === 403) {
      return new CredentialsError(
        provider,
        `${what}: credentials refused${status === 403 ? ' or missing access' : ''}${detail}`,
        status,
      );
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      if (retryAfterMs !== undefined)
        void this.rateLimiter.penalize?.(this.options.rateLimitKey, retryAfterMs);
      return new ProviderError(provider, 'rate_limited', true, `${what}: rate limited${detail}`, {
        status,
        retryAfterMs,
      });
    }
    if (status >= 500 || status === 408) {
      return new ProviderError(provider, `http_${status}`, true, `${what}${detail}`, { status });
    }
    return new ProviderError(provider, `http_${status}`, false, `${what}${detail}`, { status });
  }

  private networkError(req: ProviderHttpRequest, error: unknown): ProviderError {
    const { provider } = this.options;
    const timedOut =
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError;
    const code = timedOut ? 'timeout' : 'network_error';
    const reason = timedOut ? 'timed out' : ((error as { code?: string }).code ?? (error as Error).message);
    return new ProviderError(
      provider,
      code,
      true,
      `${provider} ${req.method} ${req.endpoint} failed: ${reason}`,
      {
        cause: error,
      },
    );
  }

  private observe(endpoint: string, status: number | 'error', started: number): void {
    this.options.observer?.observe({
      provider: this.options.provider,
      endpoint,
      status,
      seconds: (performance.now() - started) / 1000,
    });
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** First 200 characters of an error body, on one line. Provider error bodies do not echo keys. */
function summarize(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine ? `: ${oneLine.slice(0, 200)}` : '';
}
