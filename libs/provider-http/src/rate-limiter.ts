import type { PluginRateLimits } from '@switchboard/core';

/**
 * Waits until one more request to a provider is allowed. Implementations share the budget across
 * every process that talks to the same account (see RedisRateLimiter).
 */
export interface RateLimiter {
  acquire(key: string, limits: PluginRateLimits, signal?: AbortSignal): Promise<void>;
  /** Called when the provider itself said "slow down" (429), so every process backs off. */
  penalize?(key: string, waitMs: number): Promise<void>;
  /** Called when a request started with acquire has finished (frees a concurrency slot). */
  release?(key: string): void;
}

/** A limiter that never waits; for tests of code that does not care about limits. */
export const NO_RATE_LIMIT: RateLimiter = { acquire: async () => undefined };
