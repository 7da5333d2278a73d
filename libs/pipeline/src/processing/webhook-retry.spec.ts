import { ProviderError } from '@switchboard/core';
import { WEBHOOK_BACKOFF, webhookJobOptions } from '@switchboard/queue';
import { webhookBackoffStrategy, webhookRetryPolicy } from './webhook-retry.js';

describe('webhook retry policy and BullMQ backoff', () => {
  it('waits a full-jitter exponential delay: uniform in [0, base * 2^(n-1)], capped', () => {
    const strategy = webhookBackoffStrategy(
      webhookRetryPolicy(8, { baseDelayMs: 1_000, maxDelayMs: 10_000, random: () => 0.999 }),
    );
    expect(strategy(1)).toBe(999);
    expect(strategy(2)).toBe(1_998);
    expect(strategy(3)).toBe(3_996);
    expect(strategy(10)).toBe(9_990);
    const low = webhookBackoffStrategy(webhookRetryPolicy(8, { random: () => 0 }));
    expect(low(5)).toBe(0);
  });

  it('spreads retries (jitter) instead of a fixed schedule', () => {
    const strategy = webhookBackoffStrategy(
      webhookRetryPolicy(8, { baseDelayMs: 1_000, maxDelayMs: 60_000 }),
    );
    const delays = new Set(Array.from({ length: 50 }, () => strategy(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeLessThan(8_000);
  });

  it("never waits less than a provider's Retry-After", () => {
    const strategy = webhookBackoffStrategy(webhookRetryPolicy(8, { random: () => 0 }));
    const error = new ProviderError('ringba', 'rate_limited', true, '429', { retryAfterMs: 30_000 });
    expect(strategy(1, WEBHOOK_BACKOFF, error)).toBe(30_000);
  });

  it('builds job options with the row id as job id and the worker strategy', () => {
    expect(webhookJobOptions('7d3f', 8)).toMatchObject({
      jobId: '7d3f',
      attempts: 8,
      backoff: { type: WEBHOOK_BACKOFF },
    });
  });
});
