import { RetryPolicy, type RetryPolicyOptions } from '@switchboard/core';

/** The webhook worker's retry policy: WEBHOOK_MAX_ATTEMPTS attempts, full-jitter exponential delays. */
export function webhookRetryPolicy(
  maxAttempts: number,
  overrides: Partial<RetryPolicyOptions> = {},
): RetryPolicy {
  // Everything that reaches the backoff is retryable already (the worker throws UnrecoverableError
  // for the rest), so the policy itself retries whatever it is asked about.
  return new RetryPolicy({
    maxAttempts,
    baseDelayMs: 1_000,
    maxDelayMs: 5 * 60_000,
    ...overrides,
    isRetryable: () => true,
  });
}

/**
 * BullMQ custom backoff: BullMQ passes the number of the attempt that just failed (1-based), as
 * RetryPolicy.delayFor expects; a provider's Retry-After is honoured as a floor.
 */
export function webhookBackoffStrategy(
  policy: RetryPolicy,
): (attemptsMade: number, type?: string, error?: Error) => number {
  return (attemptsMade, _type, error) => policy.delayFor(attemptsMade, error);
}
