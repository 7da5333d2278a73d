import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@switchboard/config';
import { WebhookInboxRepository, type RelayRow } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { QueueReadiness } from './queue-readiness.js';
import { webhookJob, withTimeout } from './webhook-job.js';

export interface InboxRelayOptions {
  /** Pause between rounds when there was nothing (or little) to do. */
  intervalMs: number;
  /** Rows per round and per step (one transaction, one addBulk). */
  batchSize: number;
  /** `received` rows younger than this are left for the next round. */
  minAgeMs: number;
  /** A `queued` row older than this without its job in Redis is an orphan (see InboxWriter). */
  orphanAfterMs: number;
  /** How far back the sweep for orphans starts when the process starts. */
  sweepLookbackMs: number;
  enqueueTimeoutMs: number;
}

export const DEFAULT_RELAY_OPTIONS: InboxRelayOptions = {
  intervalMs: 2_000,
  batchSize: 500,
  minAgeMs: 1_000,
  orphanAfterMs: 60_000,
  sweepLookbackMs: 3_600_000,
  enqueueTimeoutMs: 5_000,
};

/** The part of an ioredis client the orphan check uses. */
interface PipelineClient {
  pipeline(): { exists(key: string): unknown; exec(): Promise<Array<[Error | null, unknown]> | null> };
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Gets every stored webhook into the queue, in the worker:
 *
 * - relay: rows stored while Redis was down (status `received`) are enqueued once Redis answers
 *   again, oldest first, in bounded batches. Safe with any number of workers: rows are claimed
 *   with FOR UPDATE SKIP LOCKED inside the transaction that marks them queued, and the job id is
 *   the row id, so a row enqueued twice (a crash between addBulk and COMMIT) is still one job.
 * - sweep: rows written `queued` whose process died before their job was added (see InboxWriter)
 *   are found by checking, once per row, that every `queued` row older than a minute has its job;
 *   a missing one is added (same job id, so this never doubles a job that exists).
 */
@Injectable()
export class InboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxRelay');
  private readonly readiness: QueueReadiness;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private failing = false;
  private cursor: { createdAt: string; id: string };
  options: InboxRelayOptions = { ...DEFAULT_RELAY_OPTIONS };

  constructor(
    private readonly repository: WebhookInboxRepository,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    this.readiness = new QueueReadiness(queue, DEFAULT_RELAY_OPTIONS.enqueueTimeoutMs);
    this.cursor = {
      createdAt: new Date(Date.now() - this.options.sweepLookbackMs).toISOString(),
      id: NIL_UUID,
    };
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.plan(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => 0);
  }

  /** Relays up to batchSize `received` rows; returns how many. Throws while the database or Redis is down. */
  async relayOnce(): Promise<number> {
    // No transaction (and no row locks) while there is no queue to relay to.
    if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
    const relayed = await this.repository.relayReceived(
      this.options.batchSize,
      this.options.minAgeMs,
      (rows) => this.enqueue(rows),
    );
    if (relayed > 0) this.logger.log(`relayed ${relayed} webhook(s) stored while the queue was unreachable`);
    return relayed;
  }

  /**
   * Checks the next batchSize `queued` rows (older than orphanAfterMs, after the cursor) for their
   * jobs and enqueues the missing ones; returns how many rows it checked.
   */
  async sweepOnce(): Promise<number> {
    if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
    const rows = await this.repository.queuedSince(
      this.cursor,
      this.options.orphanAfterMs,
      this.options.batchSize,
    );
    if (rows.length === 0) return 0;
    const client = (await this.queue.client) as unknown as PipelineClient;
    const pipeline = client.pipeline();
    for (const row of rows) pipeline.exists(this.queue.toKey(row.id));
    const results = await withTimeout(pipeline.exec(), this.options.enqueueTimeoutMs, 'orphan check');
    const missing = rows.filter((_, i) => {
      const [error, exists] = results?.[i] ?? [new Error('no reply'), 0];
      if (error) throw error;
      return exists === 0;
    });
    if (missing.length > 0) {
      await this.enqueue(missing);
      this.logger.warn(
        `enqueued ${missing.length} webhook(s) whose jobs were missing (a process stopped mid-write)`,
      );
    }
    const last = rows[rows.length - 1];
    this.cursor = { createdAt: last.createdAt, id: last.id };
    return rows.length;
  }

  private async enqueue(rows: RelayRow[]): Promise<void> {
    const jobs = rows.map((row) => webhookJob(row, this.config.webhook.maxAttempts));
    await withTimeout(this.queue.addBulk(jobs), this.options.enqueueTimeoutMs, 'relay enqueue');
  }

  private async round(): Promise<number> {
    const relayed = await this.relayOnce();
    const swept = await this.sweepOnce();
    if (this.failing) {
      this.failing = false;
      this.logger.log('relay working again');
    }
    return Math.max(relayed, swept);
  }

  private plan(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().catch((error: unknown) => {
        if (!this.failing) {
          this.failing = true;
          this.logger.warn(`relay paused: ${(error as Error).message ?? String(error)}; retrying`);
        }
        return 0;
      });
      void this.running.then((done) => {
        // A full batch means more may be waiting: go again at once; otherwise wait.
        this.plan(done >= this.options.batchSize ? 0 : this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }
}
