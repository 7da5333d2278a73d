import {
  CredentialsError,
  ProviderError,
  type PluginLogger,
  type PluginRateLimits,
  type ProviderContext,
  type ProviderHttpClient,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
} from '../index.js';

export interface TestContextOptions<C> {
  credentials: C;
  /** Plugin type id (default "test"); used in error messages as the platform does. */
  provider?: string;
  /** Where the simulator or sandbox listens; the adapter must prefer it over its default. */
  apiBaseUrl?: string;
  settings?: Record<string, unknown>;
  connectionId?: string;
  webhookUrl?: string;
  /** Attempts for retryable failures, the first included (default 3, as tests want them quick). */
  maxAttempts?: number;
  /** Delay before the second attempt; doubles per attempt, with full jitter (default 5 ms). */
  retryDelayMs?: number;
  /** A Retry-After longer than this fails the test instead of sleeping (default 5,000 ms). */
  maxRetryAfterMs?: number;
  /** The manifest's limits, applied in process (requestsPerSecond, maxConcurrency). */
  rateLimits?: PluginRateLimits;
  timeoutMs?: number;
  logger?: PluginLogger;
  now?: () => Date;
}

/** One request the adapter made, as sent (after retries each attempt is listed). */
export interface RecordedRequest {
  method: string;
  url: string;
  endpoint: string;
  status: number | 'error';
}

export interface TestContext<C> extends ProviderContext<C> {
  /** Every attempt the adapter's HTTP client made, oldest first. */
  readonly requests: RecordedRequest[];
}

export const silentLogger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A ProviderContext for an adapter's tests, with the platform's HTTP semantics: query and JSON/form
 * bodies encoded the same way; 401/403 become a non-retryable CredentialsError; 429 a retryable
 * `rate_limited` ProviderError carrying Retry-After (a floor for the next attempt); 5xx and 408 a
 * retryable `http_<status>`; other 4xx a non-retryable `http_<status>` unless listed in
 * acceptStatus; timeouts `timeout` and network failures `network_error` (both retryable). GET,
 * PUT and DELETE are retried by default, POST and PATCH only with `retry: true`.
 *
 * Differences from the platform, on purpose: rate limits are per context and in process (the
 * platform shares them across workers through Redis, with per-minute/hour/day windows), and
 * delays are milliseconds.
 */
export function createTestContext<C>(options: TestContextOptions<C>): TestContext<C> {
  const provider = options.provider ?? 'test';
  const connectionId = options.connectionId ?? '00000000-0000-4000-8000-000000000001';
  const requests: RecordedRequest[] = [];
  return {
    connectionId,
    provider,
    credentials: options.credentials,
    settings: options.settings ?? {},
    apiBaseUrl: options.apiBaseUrl,
    webhookUrl: options.webhookUrl ?? `http://127.0.0.1:3000/webhooks/${provider}/${connectionId}`,
    http: new TestHttpClient(provider, options, requests),
    logger: options.logger ?? silentLogger,
    now: options.now ?? (() => new Date()),
    requests,
  };
}

class TestHttpClient implements ProviderHttpClient {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private nextSlot = 0;

  constructor(
    private readonly provider: string,
    private readonly options: TestContextOptions<unknown>,
    private readonly log: RecordedRequest[],
  ) {}

  async request<T = unknown>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
    const retry = req.retry ?? !['POST', 'PATCH'].includes(req.method);
    const attempts = retry ? (this.options.maxAttempts ?? 3) : 1;
    const base = this.options.retryDelayMs ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(req);
      } catch (error) {
        if (!(error instanceof ProviderError) || !error.retryable || attempt >= attempts) throw error;
        const retryAfter = error.retryAfterMs ?? 0;
        if (retryAfter > (this.options.maxRetryAfterMs ?? 5_000)) throw error;
        await sleep(Math.max(retryAfter, Math.floor(Math.random() * base * 2 ** (attempt - 1))));
      }
    }
  }

  private async once<T>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
    const url = new URL(req.url);
    for (const [key, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const what = `${this.provider} ${req.method} ${req.endpoint}`;
    await this.acquire();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(req.timeoutMs ?? this.options.timeoutMs ?? 5_000),
      });
      text = await response.text().catch(() => '');
    } catch (error) {
      this.log.push({ method: req.method, url: url.href, endpoint: req.endpoint, status: 'error' });
      const timedOut = (error as Error).name === 'TimeoutError';
      const code = timedOut ? 'timeout' : 'network_error';
      const cause = (error as { cause?: { code?: string } }).cause;
      const reason = timedOut ? 'timed out' : (cause?.code ?? (error as Error).message);
      throw new ProviderError(this.provider, code, true, `${what} failed: ${reason}`, { cause: error });
    } finally {
      this.release();
    }
    const status = response.status;
    this.log.push({ method: req.method, url: url.href, endpoint: req.endpoint, status });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => (responseHeaders[key] = value));
    if ((status < 200 || status >= 300) && !req.acceptStatus?.includes(status)) {
      const answered = `${what} answered ${status}`;
      const detail = text ? `: ${text.slice(0, 200)}` : '';
      if (status === 401 || status === 403)
        throw new CredentialsError(this.provider, `${answered}: credentials refused${detail}`, status);
      if (status === 429) {
        throw new ProviderError(this.provider, 'rate_limited', true, `${answered}: rate limited${detail}`, {
          status,
          retryAfterMs: parseRetryAfter(responseHeaders['retry-after']),
        });
      }
      const retryable = status >= 500 || status === 408;
      throw new ProviderError(this.provider, `http_${status}`, retryable, `${answered}${detail}`, { status });
    }
    const json = (responseHeaders['content-type'] ?? '').includes('json') && text !== '';
    return { status, headers: responseHeaders, body: (json ? JSON.parse(text) : text) as T, text };
  }

  /** requestsPerSecond spaces requests out; maxConcurrency caps those in flight. */
  private async acquire(): Promise<void> {
    const max = this.options.rateLimits?.maxConcurrency;
    if (max !== undefined && this.active >= max)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    const perSecond = this.options.rateLimits?.requestsPerSecond;
    if (perSecond) {
      const now = Date.now();
      const at = Math.max(now, this.nextSlot);
      this.nextSlot = at + 1000 / perSecond;
      if (at > now) await sleep(at - now);
    }
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

/** Retry-After as delta seconds or an HTTP date, in milliseconds. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
