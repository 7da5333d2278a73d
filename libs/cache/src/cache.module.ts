import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { CacheService } from './cache.service.js';
import { createRedisConnection } from './redis-connection.js';
import { RedisClient } from './redis-client.js';

@Global()
@Module({
  providers: [
    {
      provide: RedisClient,
      useFactory: (config: AppConfig): RedisClient => ({
        // Auto-pipelining sends the commands of one event-loop turn in one socket write: on
        // loopback a write costs as much as the rest of a cached read (bench:read profile).
        redis: createRedisConnection(config.redisUrl, 'cache', {
          maxRetriesPerRequest: 2,
          enableAutoPipelining: true,
        }),
        prefix: config.redisPrefix,
      }),
      inject: [AppConfig],
    },
    CacheService,
  ],
  exports: [RedisClient, CacheService],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    this.client.redis.disconnect();
  }
}
