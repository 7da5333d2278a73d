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
        redis: createRedisConnection(config.redisUrl, 'cache', { maxRetriesPerRequest: 2 }),
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
