import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { pingRedis, RedisClient } from '@switchboard/cache';
import { ProviderRegistry } from '@switchboard/core';
import { DatabasePool, describe } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import type { Queue } from 'bullmq';

/** Backlog above which readiness reports the webhook queue as degraded (still 200). */
const BACKLOG_DEGRADED = 50_000;

/** The dependencies a Switchboard process needs to do useful work, each checked with a deadline. */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly pool: DatabasePool,
    private readonly redis: RedisClient,
    private readonly registry: ProviderRegistry,
    @InjectQueue(QueueName.Webhooks) private readonly webhooks: Queue,
  ) {}

  async database() {
    const check = this.health.check('database');
    try {
      await this.pool.ping();
      return check.up();
    } catch (error) {
      return check.down({ message: `PostgreSQL: ${describe(error)}` });
    }
  }

  async redisCache() {
    const check = this.health.check('redis');
    try {
      await pingRedis(this.redis.redis);
      return check.up();
    } catch (error) {
      return check.down({ message: `Redis: ${(error as Error).message}` });
    }
  }

  async queue() {
    const check = this.health.check('queue');
    try {
      const counts = await withDeadline(
        this.webhooks.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        2_000,
      );
      const backlog = (counts.waiting ?? 0) + (counts.delayed ?? 0);
      return backlog > BACKLOG_DEGRADED
        ? check.degraded({ ...counts, message: 'webhook backlog is high' })
        : check.up(counts);
    } catch (error) {
      return check.down({ message: `queue ${QueueName.Webhooks}: ${(error as Error).message}` });
    }
  }

  /** Failed plugins never take the platform down: they make readiness "degraded" and say why. */
  plugins() {
    const check = this.health.check('plugins');
    const loaded = this.registry.list().map((p) => p.manifest.provider);
    const failed = this.registry.failed().map((f) => ({ package: f.packageName, reason: f.reason }));
    return failed.length > 0 ? check.degraded({ loaded, failed }) : check.up({ loaded });
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
