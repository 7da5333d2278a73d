import {
  ProviderError,
  readNumber,
  readString,
  type ProviderContext,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
} from '@switchboard/plugin-sdk';
import { RINGBA_DEFAULT_API_BASE_URL, RINGBA_PROVIDER } from './ringba.constants.js';
import type { RingbaCredentials } from './ringba.credentials.js';
import { isRecord, type RingbaRecord } from './ringba.mapper.js';

type RequestOptions = Omit<ProviderHttpRequest, 'url' | 'headers'>;

/**
 * The slice of Ringba's REST API the adapter uses. Adds the account path and the
 * `Authorization: Token {apiToken}` header (R1), honours ctx.apiBaseUrl, and turns Ringba's own
 * failure envelopes (`isSuccessful: false`, `isRateLimited: true` on a 2xx) into ProviderErrors.
 */
export class RingbaApi {
  private readonly baseUrl: string;

  constructor(private readonly ctx: ProviderContext<RingbaCredentials>) {
    this.baseUrl = (ctx.apiBaseUrl ?? RINGBA_DEFAULT_API_BASE_URL).replace(/\/+$/, '');
  }

  /** `/{accountId}{path}` under the API base URL. */
  accountUrl(path: string): string {
    return `${this.baseUrl}/${encodeURIComponent(this.ctx.credentials.accountId)}${path}`;
  }

  async request<T = unknown>(path: string, options: RequestOptions): Promise<ProviderHttpResponse<T>> {
    const timeoutMs = readNumber(this.ctx.settings.requestTimeoutMs);
    const response = await this.ctx.http.request<T>({
      ...options,
      url: this.accountUrl(path),
      headers: { authorization: `Token ${this.ctx.credentials.apiToken}` },
      timeoutMs: options.timeoutMs ?? (timeoutMs && timeoutMs > 0 ? timeoutMs : undefined),
    });
    if (response.status < 300) checkEnvelope(response.body, options);
    return response;
  }
}

/**
 * Ringba answers over-limit requests with `isRateLimited`, `exceedingRateLimit` and `rateLimit`
 * in the body (R4); normally with 429, which the HTTP client handles, but a 2xx with that body is
 * treated the same [I].
 */
function checkEnvelope(body: unknown, options: RequestOptions): void {
  if (!isRecord(body)) return;
  const what = `ringba ${options.method} ${options.endpoint}`;
  if (body.isRateLimited === true) {
    throw new ProviderError(
      RINGBA_PROVIDER,
      'rate_limited',
      true,
      `${what}: rate limited${describeLimit(body)}`,
    );
  }
  if (body.isSuccessful === false) {
    const reason = readString(body.message) ?? firstError(body.errors);
    throw new ProviderError(
      RINGBA_PROVIDER,
      'request_failed',
      false,
      `${what} was not successful${reason ? `: ${reason.slice(0, 200)}` : ''}`,
    );
  }
}

function describeLimit(body: RingbaRecord): string {
  const perMinute =
    isRecord(body.rateLimit) && isRecord(body.rateLimit.perMinute) ? body.rateLimit.perMinute : undefined;
  const limit = perMinute ? readNumber(perMinute.limit) : undefined;
  return limit !== undefined ? ` (limit ${limit}/min)` : '';
}

function firstError(errors: unknown): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first: unknown = errors[0];
  return readString(first) ?? (isRecord(first) ? readString(first.message) : undefined);
}
