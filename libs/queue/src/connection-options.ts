import type { RedisOptions } from 'ioredis';

/** ioredis options for BullMQ from a redis:// or rediss:// URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 8), 10_000),
  };
}

/**
 * Producers must fail fast when Redis is down (the ingress then leaves the inbox row for the
 * relay) instead of queueing commands in memory; workers need maxRetriesPerRequest: null
 * (BullMQ's requirement for blocking connections).
 */
export function producerConnection(url: string): RedisOptions {
  return { ...redisOptionsFromUrl(url), enableOfflineQueue: false, maxRetriesPerRequest: 1 };
}

export function workerConnection(url: string): RedisOptions {
  return { ...redisOptionsFromUrl(url), maxRetriesPerRequest: null };
}
