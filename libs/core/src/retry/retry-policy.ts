import { ProviderError, isRetryable } from '../errors/provider-error.js';

export interface RetryPolicyOptions {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Delay before the second attempt, in ms. */
  baseDelayMs: number;
  /** Upper bound for any one delay, in ms. */
  maxDelayMs: number;
  /** Decides what is worth retrying; defaults to ProviderError.retryable. */
  isRetryable?: (error: unknown) => boolean;
  /** Injected for deterministic tests; returns [0, 1). */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/**
 * Exponential backoff with "full jitter": the delay before attempt n+1 is uniform in
 * [0, min(max, base * 2^(n-1))]. Full jitter spreads a herd of retries better than adding a
 * small random amount to a fixed schedule. A provider's Retry-After is a floor, never ignored.
 */
export class RetryPolicy {
  readonly options: Required<RetryPolicyOptions>;

  constructor(options: Partial<RetryPolicyOptions> = {}) {
    const merged = { ...DEFAULT_RETRY_POLICY, ...options };
    if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1) {
      throw new RangeError('maxAttempts must be an integer >= 1');
    }
    if (merged.baseDelayMs < 0 || merged.maxDelayMs < merged.baseDelayMs) {
      throw new RangeError('delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
    }
    this.options = {
      isRetryable: isRetryable,
      random: Math.random,
      ...merged,
    } as Required<RetryPolicyOptions>;
  }

  /** Whether to try again after `attempt` (1-based) failed with `error`. */
  shouldRetry(error: unknown, attempt: number): boolean {
    return attempt < this.options.maxAttempts && this.options.isRetryable(error);
  }

  /** Delay in ms to wait after the failed attempt `attempt` (1-based). */
  delayFor(attempt: number, error?: unknown): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
    const jittered = Math.floor(random() * ceiling);
    const floor = error instanceof ProviderError && error.retryAfterMs ? error.retryAfterMs : 0;
    return Math.max(jittered, floor);
  }

  /** Runs `fn` until it succeeds, fails with a non-retryable error, or attempts run out. */
  async execute<T>(
    fn: (attempt: number) => Promise<T>,
    hooks: {
      sleep?: (ms: number) => Promise<void>;
      onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const sleep = hooks.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (error) {
        if (!this.shouldRetry(error, attempt) || hooks.signal?.aborted) throw error;
        const delay = this.delayFor(attempt, error);
        hooks.onRetry?.(error, attempt, delay);
        await sleep(delay);
      }
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
