import type { Redis } from 'ioredis';

/**
 * Injection token for the process's general-purpose Redis connection (cache, rate limits, live
 * stream publishing). Queues use their own connections (see @switchboard/queue).
 */
export abstract class RedisClient {
  abstract readonly redis: Redis;
  /** Prefix for every key this process writes (REDIS_PREFIX), so deployments and tests can share a server. */
  abstract readonly prefix: string;
}
