import { Injectable } from '@nestjs/common';
import { RedisClient } from '@switchboard/cache';
import { withTimeout } from './webhook-job.js';

interface Window {
  second: number;
  /** Admissions this process may still grant in this second without asking Redis. */
  tokens: number;
  /** Redis said the connection's budget for this second is spent. */
  exhausted: boolean;
  /** Tokens granted in this second without Redis (fallback), to cap them at the limit. */
  localGranted: number;
  /** Requests waiting for the lease in flight; the next lease asks for at least this many. */
  waiting: number;
  lease?: Promise<void>;
}

const LEASE_TIMEOUT_MS = 250;
const MAX_WINDOWS = 50_000;

/**
 * Per-connection webhook rate limit that holds across every api process at little cost per request.
 *
 * Each second has one Redis counter per connection, shared by all processes. A process does not
 * ask Redis per request: it leases a chunk of the second's budget (INCRBY chunk; chunk = limit/20)
 * and spends it locally, so Redis sees about 20 commands per connection per second at full rate,
 * whatever the request rate. The counter's value says how much of the lease was really free, so the
 * sum over all processes never exceeds the limit; the price is that tokens leased but unused when
 * the second ends are lost (at most one chunk per process). When Redis is down or slow, each
 * process falls back to enforcing the limit on its own (so N processes admit up to N x limit),
 * because the ingress must keep working without Redis.
 */
@Injectable()
export class WebhookRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly client: RedisClient) {}

  /** Takes one admission for the connection in the current second; false = over the limit. */
  async take(connectionId: string, limitPerSecond: number): Promise<boolean> {
    if (!(limitPerSecond > 0)) return true;
    for (let attempt = 0; attempt < 5; attempt++) {
      const window = this.window(connectionId);
      if (window.tokens > 0) {
        window.tokens--;
        return true;
      }
      if (window.exhausted) return false;
      window.waiting++;
      window.lease ??= this.lease(connectionId, window, limitPerSecond).finally(() => {
        window.lease = undefined;
      });
      try {
        await window.lease;
      } finally {
        window.waiting--;
      }
    }
    return false;
  }

  /** Seconds until the budget refills (for Retry-After). */
  retryAfterSeconds(): number {
    return 1;
  }

  private window(connectionId: string): Window {
    const second = Math.floor(Date.now() / 1000);
    let window = this.windows.get(connectionId);
    if (!window || window.second !== second) {
      if (!window && this.windows.size >= MAX_WINDOWS) this.prune(second);
      window = { second, tokens: 0, exhausted: false, localGranted: 0, waiting: 0 };
      this.windows.set(connectionId, window);
    }
    return window;
  }

  private async lease(connectionId: string, window: Window, limit: number): Promise<void> {
    // A burst of concurrent requests is served by one lease rather than one per request.
    const chunk = Math.min(limit, Math.max(1, Math.min(Math.ceil(limit / 20), 1_000), window.waiting));
    let granted: number;
    const redis = this.client.redis;
    if (redis.status === 'ready') {
      const key = `${this.client.prefix}:ratelimit:webhooks:${connectionId}:${window.second}`;
      try {
        const results = await withTimeout(
          redis.pipeline().incrby(key, chunk).pexpire(key, 2_000).exec(),
          LEASE_TIMEOUT_MS,
          'rate limit lease',
        );
        const [error, total] = results?.[0] ?? [new Error('no reply'), 0];
        if (error) throw error;
        const before = Number(total) - chunk;
        granted = Math.max(0, Math.min(chunk, limit - before));
      } catch {
        granted = this.localGrant(window, chunk, limit);
      }
    } else {
      granted = this.localGrant(window, chunk, limit);
    }
    window.tokens += granted;
    if (granted < chunk) window.exhausted = true;
  }

  private localGrant(window: Window, chunk: number, limit: number): number {
    const granted = Math.max(0, Math.min(chunk, limit - window.localGranted));
    window.localGranted += granted;
    return granted;
  }

  private prune(second: number): void {
    for (const [id, window] of this.windows) if (window.second < second) this.windows.delete(id);
  }
}
