import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { pingRedis, RedisClient } from '@switchboard/cache';
import { ConnectionSecretsCheck } from '@switchboard/connections';
import { ProviderRegistry } from '@switchboard/core';
import { InboxBacklog } from '@switchboard/ingress';
import { DatabasePool, SyncStatusRepository, describe } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import type { Queue } from 'bullmq';

/** Backlog above which readiness reports the webhook queue as degraded (still 200). */
const BACKLOG_DEGRADED = 50_000;
/** Acknowledged webhooks out of the queue for longer than this make readiness degraded. */
const INBOX_WAITING_DEGRADED_SECONDS = 120;

/** The dependencies a Switchboard process needs to do useful work, each checked with a deadline. */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly pool: DatabasePool,
    private readonly redis: RedisClient,
    private readonly registry: ProviderRegistry,
    @InjectQueue(QueueName.Webhooks) private readonly webhooks: Queue,
    private readonly backlog: InboxBacklog,
    private readonly secrets: ConnectionSecretsCheck,
    private readonly syncStatus: SyncStatusRepository,
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

  /**
   * Acknowledged webhooks that are not in the queue: rows stored while Redis was down, and queued
   * rows whose job vanished (Redis lost its data). The worker's relay puts both back; waiting for
   * more than two minutes means it cannot (no worker running, Redis still down): degraded, with
   * the count and the oldest age, so an operator sees stranded webhooks instead of "ok".
   */
  async inbox() {
    const check = this.health.check('inbox');
    try {
      const report = await this.backlog.measure();
      const details = { ...report, jobMissing: report.jobMissing ?? 'unknown (Redis unreachable)' };
      if (report.waiting > 0 && report.oldestWaitingSeconds > INBOX_WAITING_DEGRADED_SECONDS) {
        return check.degraded({
          ...details,
          message: `${report.waiting} acknowledged webhook(s) not in the queue, the oldest for ${report.oldestWaitingSeconds} s; the worker's relay re-adds them (is a worker running and Redis up?)`,
        });
      }
      return check.up(details);
    } catch (error) {
      return check.down({ message: `inbox backlog unreadable: ${describe(error)}` });
    }
  }

  /**
   * Each live connection's scheduled sync: state, last success, consecutive failures. Refused
   * credentials or a sync failing again and again make readiness degraded (still 200: webhooks
   * keep flowing), naming the connections.
   */
  async sync() {
    const check = this.health.check('sync');
    let rows;
    try {
      rows = await withDeadline(this.syncStatus.listActive(), 2_000);
    } catch (error) {
      return check.down({ message: `sync state unreadable: ${describe(error)}` });
    }
    const connections = rows.map((r) => ({
      connectionId: r.connection_id,
      provider: r.provider,
      state: r.state,
      lastSuccessAt: r.last_successful_sync_at?.toISOString() ?? null,
      consecutiveFailures: r.consecutive_failures,
    }));
    const troubled = connections.filter((c) => c.state === 'auth_failed' || c.consecutiveFailures >= 3);
    return troubled.length > 0
      ? check.degraded({
          connections,
          message: `sync failing for ${troubled.map((c) => `${c.provider} ${c.connectionId} (${c.state})`).join(', ')}`,
        })
      : check.up({ connections });
  }

  /**
   * Connections whose stored secrets cannot be decrypted with ENCRYPTION_KEYS: their webhooks are
   * answered 503 and their syncs fail. Degraded (still 200: every other connection works), naming
   * them and the reason, never a secret.
   */
  async connections() {
    const check = this.health.check('connections');
    try {
      const unreadable = await withDeadline(this.secrets.unreadable(), 2_000);
      if (unreadable.length === 0) return check.up({ unreadable: 0 });
      return check.degraded({
        unreadable: unreadable.length,
        connections: unreadable,
        message: `${unreadable.length} connection(s) with secrets that ENCRYPTION_KEYS cannot decrypt; restore the key they were encrypted with`,
      });
    } catch (error) {
      return check.down({ message: `connections unreadable: ${describe(error)}` });
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
