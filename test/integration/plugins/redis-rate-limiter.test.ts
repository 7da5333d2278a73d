import { RedisRateLimiter } from '@switchboard/provider-http';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../../support/services.js';
import { uniqueRedisPrefix } from '../../support/redis.js';

/**
 * Per-hour and per-day budgets (CallRail: 1,000 an hour, 10,000 a day) are enforced across
 * processes like the per-second and per-minute ones: the request over the budget waits for the
 * window to end. The limiter sleeps in steps of at most a minute so a shutdown is noticed.
 */
let redis: Redis;
const prefix = uniqueRedisPrefix('rl');
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

/** A limiter whose sleep records the wait and stops the loop (as a shutdown would). */
function limiterStoppingAtFirstWait() {
  const waits: number[] = [];
  const abort = new AbortController();
  const limiter = new RedisRateLimiter(redis, prefix, async (ms) => {
    waits.push(ms);
    abort.abort();
  });
  return { limiter, waits, signal: abort.signal };
}

describe('RedisRateLimiter hour and day windows', () => {
  it('lets requestsPerHour requests through, then makes the next wait for the hour to end', async () => {
    const { limiter, waits, signal } = limiterStoppingAtFirstWait();
    const limits = { requestsPerHour: 3 };
    for (let i = 0; i < 3; i++) await limiter.acquire('conn-hour', limits, signal);
    expect(waits).toEqual([]);
    await expect(limiter.acquire('conn-hour', limits, signal)).rejects.toThrow('rate limit wait aborted');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
    const [key] = await redis.keys(`${prefix}:ratelimit:{conn-hour}:h:*`);
    expect(Number(key.split(':').pop())).toBe(Math.floor(Date.now() / 3_600_000));
    expect(await redis.pttl(key)).toBeGreaterThan(3_600_000);
    // Another connection has its own budget.
    const other = limiterStoppingAtFirstWait();
    await other.limiter.acquire('conn-other', limits, other.signal);
    expect(other.waits).toEqual([]);
  });

  it('holds requestsPerDay even when the hour still has room, and counts every window', async () => {
    const { limiter, waits, signal } = limiterStoppingAtFirstWait();
    const limits = { requestsPerSecond: 100, requestsPerHour: 100, requestsPerDay: 2 };
    await limiter.acquire('conn-day', limits, signal);
    await limiter.acquire('conn-day', limits, signal);
    await expect(limiter.acquire('conn-day', limits, signal)).rejects.toThrow('rate limit wait aborted');
    expect(waits).toHaveLength(1);
    const counts = async (part: string) => {
      const [key] = await redis.keys(`${prefix}:ratelimit:{conn-day}:${part}:*`);
      return Number(await redis.get(key));
    };
    // The refused request counted nowhere; the two that went counted in every window.
    expect(await counts('h')).toBe(2);
    expect(await counts('d')).toBe(2);
    expect(await redis.pttl((await redis.keys(`${prefix}:ratelimit:{conn-day}:d:*`))[0])).toBeGreaterThan(
      86_400_000,
    );
  });

  it('keeps the second and minute windows as before', async () => {
    const { limiter, waits, signal } = limiterStoppingAtFirstWait();
    const limits = { requestsPerMinute: 2 };
    await limiter.acquire('conn-minute', limits, signal);
    await limiter.acquire('conn-minute', limits, signal);
    await expect(limiter.acquire('conn-minute', limits, signal)).rejects.toThrow('rate limit wait aborted');
    expect(waits[0]).toBeLessThanOrEqual(60_020);
  });
});
