import type { PluginRateLimits } from '@switchboard/core';
import type { Redis } from 'ioredis';
import type { RateLimiter } from './rate-limiter.js';

/**
 * One atomic step: refuse while a 429 penalty is in force (KEYS[1]), otherwise count the request
 * in every window (KEYS[2..], with ARGV limit and length in ms per window) unless one is full.
 * Returns 0 when the request may go, or how many ms to wait before asking again.
 */
const ACQUIRE = `
local penalty = redis.call('PTTL', KEYS[1])
if penalty > 0 then return penalty end
local nowMs = tonumber(ARGV[1])
for i = 2, #KEYS do
  local limit = tonumber(ARGV[i * 2 - 2])
  local size = tonumber(ARGV[i * 2 - 1])
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= limit then return size - (nowMs % size) end
end
for i = 2, #KEYS do
  redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[i * 2 - 1]) * 2)
end
return 0
`;

/** The manifest's windows: name in the Redis key, length, and which limit applies. */
const WINDOWS = [
  { name: 's', ms: 1_000, limit: (l: PluginRateLimits) => l.requestsPerSecond },
  { name: 'm', ms: 60_000, limit: (l: PluginRateLimits) => l.requestsPerMinute },
  { name: 'h', ms: 3_600_000, limit: (l: PluginRateLimits) => l.requestsPerHour },
  { name: 'd', ms: 86_400_000, limit: (l: PluginRateLimits) => l.requestsPerDay },
] as const;

/**
 * A provider rate limit shared by every process through Redis (fixed one-second and one-minute
 * windows, which is how the providers publish their limits; hour and UTC-day windows for
 * providers with such budgets), plus a per-process cap on concurrent
 * requests. A 429 from the provider sets a penalty that makes every process wait.
 *
 * When Redis is unreachable the limiter lets requests through rather than stopping all provider
 * traffic: the provider's own 429s then do the limiting, and those are retried with backoff.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly inFlight = new Map<string, { count: number; waiters: Array<() => void> }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async acquire(key: string, limits: PluginRateLimits, signal?: AbortSignal): Promise<void> {
    await this.acquireWindow(key, limits, signal);
    if (limits.maxConcurrency) await this.acquireSlot(key, limits.maxConcurrency);
  }

  /** Marks the end of a request started with acquire (only matters with maxConcurrency). */
  release(key: string): void {
    const slot = this.inFlight.get(key);
    if (!slot) return;
    const next = slot.waiters.shift();
    if (next) next();
    else slot.count--;
  }

  async penalize(key: string, waitMs: number): Promise<void> {
    if (waitMs <= 0) return;
    await this.redis
      .set(this.keyOf(key, 'penalty'), '1', 'PX', Math.min(waitMs, 15 * 60_000))
      .catch(() => undefined);
  }

  private async acquireWindow(key: string, limits: PluginRateLimits, signal?: AbortSignal): Promise<void> {
    const windows = WINDOWS.map((w) => ({ ...w, max: w.limit(limits) ?? 0 })).filter((w) => w.max > 0);
    for (;;) {
      if (signal?.aborted) throw new Error('rate limit wait aborted');
      const now = Date.now();
      let wait: number;
      try {
        wait = Number(
          await this.redis.eval(
            ACQUIRE,
            1 + windows.length,
            this.keyOf(key, 'penalty'),
            ...windows.map((w) => this.keyOf(key, `${w.name}:${Math.floor(now / w.ms)}`)),
            now,
            ...windows.flatMap((w) => [w.max, w.ms]),
          ),
        );
      } catch {
        return; // fail open, see class comment
      }
      if (wait <= 0) return;
      // Long waits (an hour or day budget spent) are slept in steps so an abort is noticed.
      await this.sleep(Math.min(wait + Math.floor(Math.random() * 20), 60_000));
    }
  }

  private acquireSlot(key: string, max: number): Promise<void> {
    const slot = this.inFlight.get(key) ?? { count: 0, waiters: [] };
    this.inFlight.set(key, slot);
    if (slot.count < max) {
      slot.count++;
      return Promise.resolve();
    }
    return new Promise((resolve) => slot.waiters.push(resolve));
  }

  private keyOf(key: string, part: string): string {
    // Hash tag keeps a connection's keys in one Redis Cluster slot, as the Lua step needs.
    return `${this.prefix}:ratelimit:{${key}}:${part}`;
  }
}
