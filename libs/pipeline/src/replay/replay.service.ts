import { InjectQueue, getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { SwitchboardError } from '@switchboard/core';
import {
  WebhookLogRepository,
  type ClaimedWebhookLog,
  type WebhookLogFilter,
  type WebhookLogStatus,
} from '@switchboard/persistence';
import { QueueName, webhookJobData, webhookJobOptions } from '@switchboard/queue';
import type { Queue } from 'bullmq';

/**
 * Statuses a row can be replayed from. `rejected` never: it failed verification. `received` rows
 * belong to the ingress relay. `queued` is allowed so a job lost with Redis can be re-created;
 * when its job still exists the replay just re-creates it.
 */
export const REPLAYABLE_STATUSES: readonly WebhookLogStatus[] = ['failed', 'processed', 'ignored', 'queued'];

export const DEFAULT_REPLAY_LIMIT = 1_000;
export const MAX_REPLAY_LIMIT = 10_000;

export class ReplayError extends SwitchboardError {
  constructor(
    readonly code: 'webhook_log_not_found' | 'not_replayable' | 'queue_unavailable',
    message: string,
  ) {
    super(message);
  }
}

export interface ReplayResult {
  /** Rows put back on the queue. */
  replayed: number;
  /** Rows whose job was running at that moment (left to finish on its own). */
  skipped: number;
  ids: string[];
}

/**
 * Puts webhook_logs rows back on the webhooks queue with a fresh job: the row is claimed in the
 * database first (status -> queued, SKIP LOCKED so concurrent replays never double up), the old
 * job with the same id is removed, and a new one is added with the row id as job id.
 */
@Injectable()
export class ReplayService {
  private readonly logger = new Logger('Replay');

  constructor(
    private readonly logs: WebhookLogRepository,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  /** Builds the service from an application context that has the platform's global modules (the CLI). */
  static fromContext(app: { get<T>(token: unknown): T }): ReplayService {
    return new ReplayService(
      app.get<WebhookLogRepository>(WebhookLogRepository),
      app.get<Queue>(getQueueToken(QueueName.Webhooks)),
      app.get<AppConfig>(AppConfig),
    );
  }

  async replayOne(id: string): Promise<ReplayResult> {
    const claimed = await this.logs.claimForReplay({ ids: [id] }, REPLAYABLE_STATUSES, 1);
    if (claimed.length === 0) {
      const row = await this.logs.findById(id);
      if (!row) throw new ReplayError('webhook_log_not_found', `no webhook log ${id}`);
      throw new ReplayError(
        'not_replayable',
        row.connection_id === null
          ? 'its connection was deleted'
          : `status "${row.status}" cannot be replayed (replayable: ${REPLAYABLE_STATUSES.join(', ')})`,
      );
    }
    return this.enqueue(claimed);
  }

  /** Replays up to `limit` rows matching the filter (status defaults to failed), oldest first. */
  async replayMany(filter: WebhookLogFilter, limit = DEFAULT_REPLAY_LIMIT): Promise<ReplayResult> {
    const bounded = Math.max(1, Math.min(MAX_REPLAY_LIMIT, Math.floor(limit)));
    const status = filter.status ?? 'failed';
    if (!REPLAYABLE_STATUSES.includes(status)) {
      throw new ReplayError(
        'not_replayable',
        `status "${status}" cannot be replayed (replayable: ${REPLAYABLE_STATUSES.join(', ')})`,
      );
    }
    const claimed = await this.logs.claimForReplay({ ...filter, status }, REPLAYABLE_STATUSES, bounded);
    return this.enqueue(claimed);
  }

  private async enqueue(rows: ClaimedWebhookLog[]): Promise<ReplayResult> {
    if (rows.length === 0) return { replayed: 0, skipped: 0, ids: [] };
    try {
      await withDeadline(this.queue.waitUntilReady(), 5_000);
      const fresh: ClaimedWebhookLog[] = [];
      let skipped = 0;
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100);
        // 0 = the job is locked by a worker right now: it will record its own outcome.
        const removed = await Promise.all(chunk.map((row) => this.queue.remove(row.id)));
        for (const [j, row] of chunk.entries()) {
          if (removed[j] === 0 && (await this.queue.getJobState(row.id)) === 'active') skipped++;
          else fresh.push(row);
        }
      }
      await this.queue.addBulk(
        fresh.map((row) => ({
          name: row.provider,
          data: webhookJobData({
            id: row.id,
            connectionId: row.connection_id,
            provider: row.provider,
            receivedAt: row.received_at,
          }),
          opts: webhookJobOptions(row.id, this.config.webhook.maxAttempts),
        })),
      );
      this.logger.log(`replayed ${fresh.length} webhook(s)${skipped ? `, ${skipped} already running` : ''}`);
      return { replayed: fresh.length, skipped, ids: fresh.map((r) => r.id) };
    } catch (error) {
      await this.logs
        .restoreStatus(rows.map((r) => ({ id: r.id, status: r.previous_status })))
        .catch(() => undefined);
      throw new ReplayError(
        'queue_unavailable',
        `the queue is unavailable, nothing was replayed: ${(error as Error).message}`,
      );
    }
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
