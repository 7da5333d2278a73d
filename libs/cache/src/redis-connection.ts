import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Opens an ioredis connection that survives outages: it reconnects with capped exponential
 * backoff forever, logs one line when Redis goes away and one when it is back, and never lets an
 * 'error' event crash the process. `purpose` names the connection in those lines.
 */
export function createRedisConnection(url: string, purpose: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 8), 10_000),
    ...extra,
  });
  return watchRedisConnection(redis, purpose);
}

/**
 * Gives an ioredis client (one made here, or a `duplicate()`, which does not copy listeners) its
 * 'error' listener: one line when Redis goes away, one when it is back. Without a listener ioredis
 * prints raw `[ioredis] Unhandled error event` dumps, several a second, for as long as Redis is down.
 */
export function watchRedisConnection(redis: Redis, purpose: string): Redis {
  const logger = new Logger('Redis');
  let down = false;
  redis.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    logger.error(`Redis unreachable (${purpose}): ${error.code ?? error.message}; reconnecting with backoff`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`Redis reachable again (${purpose})`);
  });
  return redis;
}

/** PING with a deadline; used by readiness checks. */
export async function pingRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  // A connection that is between retries is down now; one that is still opening gets the deadline.
  if (['reconnecting', 'close', 'end'].includes(redis.status))
    throw new Error(`connection is ${redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
