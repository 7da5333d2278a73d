import type { PluginRateLimits } from '@switchboard/core';
import type { Redis } from 'ioredis';
import type { RateLimiter } from './rate-limiter.js';

/**
 * One atomic step: refuse while a 429 penalty is in force, otherwise count the request in the
 * current one-second and one-minute windows unless either is full. Returns 0 when the request
 * may go, or how many ms to wait before asking again.
 */
const ACQUIRE = `
local penalty = redis.call('PTTL', KEYS[3])
if penalty > 0 then return penalty end
local perSecond = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local nowMs = tonumber(ARGV[3])
if perSecond > 0 then
  local n = tonumber(redis.call('GET', KEYS[1]) or '0')
  if n >= perSecond then return 1000 - (nowMs % 1000) end
end
if perMinute > 0 then
  local n = tonumber(redis.call('GET', KEYS[2]) or '0')
  if n >= perMinute then return 60000 - (nowMs % 60000) end
end
if perSecond > 0 then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], 2000)
end
if perMinute > 0 then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], 120000)
end
return 0
`;

/**
 * A provider rate limit shared by every process through Redis (fixed one-second and one-minute
 * windows, which is how the providers publish their limits), plus a per-process cap on concurrent
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
    const perSecond = limits.requestsPerSecond ?? 0;
    const perMinute = limits.requestsPerMinute ?? 0;
    for (;;) {
      if (signal?.aborted) throw new Error('rate limit wait aborted');
      const now = Date.now();
      let wait: number;
      try {
        wait = Number(
          await this.redis.eval(
            ACQUIRE,
            3,
            this.keyOf(key, `s:${Math.floor(now / 1000)}`),
            this.keyOf(key, `m:${Math.floor(now / 60_000)}`),
            this.keyOf(key, 'penalty'),
            perSecond,
            perMinute,
            now,
          ),
        );
      } catch {
        return; // fail open, see class comment
      }
      if (wait <= 0) return;
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
