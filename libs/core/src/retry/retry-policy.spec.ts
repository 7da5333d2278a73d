import { CredentialsError, ProviderError } from '../errors/provider-error.js';
import { RetryPolicy } from './retry-policy.js';

const retryable = new ProviderError('ringba', 'http_503', true, 'unavailable', { status: 503 });

describe('RetryPolicy', () => {
  it('grows the delay ceiling exponentially and caps it', () => {
    const policy = new RetryPolicy({
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      maxAttempts: 10,
      random: () => 0.999999,
    });
    expect([1, 2, 3, 4, 5, 6].map((a) => policy.delayFor(a))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('spreads delays with full jitter', () => {
    const policy = new RetryPolicy({ baseDelayMs: 1_000, maxDelayMs: 60_000, random: () => 0.25 });
    expect(policy.delayFor(3)).toBe(1_000);
  });

  it('never waits less than Retry-After', () => {
    const policy = new RetryPolicy({ baseDelayMs: 10, maxDelayMs: 100, random: () => 0 });
    const limited = new ProviderError('ringba', 'rate_limited', true, '429', {
      status: 429,
      retryAfterMs: 5_000,
    });
    expect(policy.delayFor(1, limited)).toBe(5_000);
  });

  it('retries only retryable errors and stops at maxAttempts', () => {
    const policy = new RetryPolicy({ maxAttempts: 3 });
    expect(policy.shouldRetry(retryable, 1)).toBe(true);
    expect(policy.shouldRetry(retryable, 3)).toBe(false);
    expect(policy.shouldRetry(new CredentialsError('ringba', 'refused', 401), 1)).toBe(false);
    expect(policy.shouldRetry(new Error('plain'), 1)).toBe(false);
  });

  it('executes until success, sleeping between attempts', async () => {
    const sleeps: number[] = [];
    const policy = new RetryPolicy({ maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 1000, random: () => 0.5 });
    let calls = 0;
    const result = await policy.execute(
      async () => {
        calls++;
        if (calls < 3) throw retryable;
        return 'ok';
      },
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([5, 10]);
  });

  it('gives up with the last error once attempts run out', async () => {
    const policy = new RetryPolicy({ maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 });
    let calls = 0;
    await expect(
      policy.execute(async () => {
        calls++;
        throw retryable;
      }),
    ).rejects.toBe(retryable);
    expect(calls).toBe(2);
  });

  it('fails at once on a non-retryable error', async () => {
    const policy = new RetryPolicy({ maxAttempts: 5 });
    const fatal = new CredentialsError('retreaver', 'bad key', 401);
    let calls = 0;
    await expect(
      policy.execute(async () => {
        calls++;
        throw fatal;
      }),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
  });

  it('rejects nonsense settings', () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => new RetryPolicy({ baseDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
  });
});
