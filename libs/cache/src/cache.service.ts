import { Injectable } from '@nestjs/common';
import { RedisClient } from './redis-client.js';

/**
 * A small JSON cache over Redis. Best effort by design: when Redis is down, reads miss and writes
 * are dropped, so a cache outage slows reads down but never fails them.
 */
@Injectable()
export class CacheService {
  constructor(private readonly client: RedisClient) {}

  key(...parts: string[]): string {
    return `${this.client.prefix}:cache:${parts.join(':')}`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (this.client.redis.status !== 'ready') return undefined;
    try {
      const raw = await this.client.redis.get(key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.client.redis.status !== 'ready') return;
    await this.client.redis.set(key, JSON.stringify(value), 'EX', ttlSeconds).catch(() => undefined);
  }

  async setMany(entries: Array<{ key: string; value: unknown }>, ttlSeconds: number): Promise<void> {
    if (entries.length === 0 || this.client.redis.status !== 'ready') return;
    const pipeline = this.client.redis.pipeline();
    for (const { key, value } of entries) pipeline.set(key, JSON.stringify(value), 'EX', ttlSeconds);
    await pipeline.exec().catch(() => undefined);
  }

  async delete(key: string): Promise<void> {
    if (this.client.redis.status !== 'ready') return;
    await this.client.redis.del(key).catch(() => undefined);
  }
}
