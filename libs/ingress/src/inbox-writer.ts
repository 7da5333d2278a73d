import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@switchboard/config';
import { SwitchboardMetrics } from '@switchboard/metrics';
import {
  DatabasePool,
  WebhookInboxRepository,
  type InboxRow,
  type InsertManyResult,
} from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { QueueReadiness } from './queue-readiness.js';
import { assignWebhookJobs, webhookJobsFor, withTimeout } from './webhook-job.js';

/** What became of one written row. */
export type InboxWriteResult =
  { kind: 'stored'; id: string; queued: boolean } | { kind: 'duplicate'; id: string };

interface PendingWrite {
  row: InboxRow;
  enqueue: boolean;
  resolve(result: InboxWriteResult): void;
  reject(error: unknown): void;
}

export interface InboxWriterOptions {
  /** Rows per INSERT. */
  maxBatch: number;
  /** INSERTs in flight at once. Few, so that rows gather into big batches while one is in flight. */
  maxInsertsInflight: number;
  /** How long an enqueue may take before the rows are left to the relay. */
  enqueueTimeoutMs: number;
}

/**
 * Writes inbox rows and enqueues their jobs in batches: one multi-row INSERT, then one addBulk of
 * one job per batch (at most MAX_ROWS_PER_WEBHOOK_JOB rows each; decision 0019).
 * Requests that arrive while an INSERT is in flight wait in memory and go out together in the
 * next one, so under load one statement and one Redis round trip serve many requests; at low load
 * a batch is a single row that leaves on the next turn of the event loop, so batching adds no
 * waiting. A batch's enqueue runs while the next batch is being inserted.
 *
 * Rows to be queued are written as `queued` when the queue is up (and as `received`, for the
 * relay, when it is known to be down), before their jobs are added: the row is always durable
 * before its job exists and before any answer. Writing the final status in the INSERT, rather
 * than INSERT `received` + UPDATE `queued` after the enqueue, halves the database work per
 * webhook (an UPDATE rewrites the whole row and every index entry). The rare failures are covered:
 * - the enqueue fails: the rows are set back to `received` and the relay enqueues them;
 * - the process dies between INSERT and enqueue: the row is `queued` without a job, and was never
 *   acknowledged; the relay's sweep finds `queued` rows older than a minute whose job is missing
 *   and enqueues them (same job id, so a job that does exist is never doubled).
 */
@Injectable()
export class InboxWriter {
  private readonly logger = new Logger('Ingress');
  private readonly pending: PendingWrite[] = [];
  private inserting = 0;
  private scheduled = false;
  private redisDown = false;
  private readonly readiness: QueueReadiness;
  readonly options: InboxWriterOptions;

  constructor(
    private readonly repository: WebhookInboxRepository,
    private readonly pool: DatabasePool,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly metrics?: SwitchboardMetrics,
  ) {
    this.options = { maxBatch: 500, maxInsertsInflight: 2, enqueueTimeoutMs: 2_000 };
    this.metrics?.dependencyUp.set({ dependency: 'redis' }, 1);
    this.readiness = new QueueReadiness(queue, this.options.enqueueTimeoutMs);
  }

  /**
   * Stores the row — and, when `enqueue`, adds its job — and resolves once the row is in
   * PostgreSQL (and the job in Redis, or the row left `received` for the relay).
   */
  write(row: InboxRow, enqueue: boolean): Promise<InboxWriteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, enqueue, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inserting >= this.options.maxInsertsInflight)
      return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending.splice(0, this.options.maxBatch);
      if (batch.length === 0) return;
      this.inserting++;
      void this.flush(batch, () => {
        this.inserting--;
        this.schedule();
      });
      this.schedule();
    });
  }

  /** Runs one batch; `inserted` is called as soon as its INSERT is done, to let the next one start. */
  private async flush(batch: PendingWrite[], inserted: () => void): Promise<void> {
    const wantsQueue = batch.some((p) => p.enqueue);
    const queueUp = wantsQueue && (await this.readiness.isReady());
    if (wantsQueue && !queueUp) this.noteQueueDown('the queue connection is not ready');
    for (const p of batch) if (p.enqueue) p.row.status = queueUp ? 'queued' : 'received';
    // One job for the batch's rows (split past MAX_ROWS_PER_WEBHOOK_JOB), its id written with them.
    if (queueUp) assignWebhookJobs(batch.filter((p) => p.enqueue).map((p) => p.row));
    let stored: InsertManyResult;
    try {
      stored = await this.repository.insertMany(batch.map((p) => p.row));
      this.pool.markUp();
    } catch (error) {
      if (!isDataError(error)) {
        inserted();
        this.pool.markDown(error);
        for (const p of batch) p.reject(error);
        return;
      }
      // One bad row (a connection deleted a moment ago, a value PostgreSQL refuses) must not cost
      // the rest of the batch their writes: retry them one by one.
      await Promise.all(batch.map((p) => this.flushOne(p, queueUp)));
      inserted();
      return;
    }
    inserted();

    const toQueue = batch.filter((p) => p.enqueue && stored.inserted.has(p.row.id));
    const queued = queueUp && (await this.enqueue(toQueue.map((p) => p.row)));
    for (const p of batch) {
      if (stored.inserted.has(p.row.id)) {
        p.resolve({ kind: 'stored', id: p.row.id, queued: p.enqueue && queued });
        continue;
      }
      const holder = p.row.dedupKey === null ? undefined : stored.duplicates.get(p.row.dedupKey);
      if (holder) p.resolve({ kind: 'duplicate', id: holder });
      else p.reject(new Error('inbox row was neither stored nor found as a duplicate'));
    }
  }

  private async flushOne(p: PendingWrite, queueUp: boolean): Promise<void> {
    // Alone now: a job of its own. Left in its batch's id, it would add a job that BullMQ drops
    // as a copy of the first row's, and the relay would count the row as having its job.
    p.row.jobId = null;
    try {
      const stored = await this.repository.insertMany([p.row]);
      if (stored.inserted.has(p.row.id)) {
        const queued = p.enqueue && queueUp && (await this.enqueue([p.row]));
        p.resolve({ kind: 'stored', id: p.row.id, queued });
        return;
      }
      const holder = p.row.dedupKey === null ? undefined : stored.duplicates.get(p.row.dedupKey);
      if (holder) p.resolve({ kind: 'duplicate', id: holder });
      else p.reject(new Error('inbox row was neither stored nor found as a duplicate'));
    } catch (error) {
      p.reject(error);
    }
  }

  /** addBulk for rows written as `queued`; on failure they go back to `received` for the relay. */
  private async enqueue(rows: InboxRow[]): Promise<boolean> {
    if (rows.length === 0) return false;
    const jobs = webhookJobsFor(rows, this.config.webhook.maxAttempts);
    try {
      await withTimeout(this.queue.addBulk(jobs), this.options.enqueueTimeoutMs, 'enqueue');
      if (this.redisDown) {
        this.redisDown = false;
        this.metrics?.dependencyUp.set({ dependency: 'redis' }, 1);
        this.logger.log('webhook queue reachable again; new webhooks are enqueued directly');
      }
      return true;
    } catch (error) {
      this.noteQueueDown((error as Error).message);
      // If this UPDATE fails too, the rows stay `queued` without jobs: the relay's sweep finds them.
      await this.repository.markReceived(rows.map((r) => r.id)).catch(() => 0);
      return false;
    }
  }

  private noteQueueDown(reason: string): void {
    this.metrics?.dependencyErrors.inc({ dependency: 'redis' });
    if (this.redisDown) return;
    this.redisDown = true;
    this.metrics?.dependencyUp.set({ dependency: 'redis' }, 0);
    this.logger.error(`cannot enqueue webhooks (${reason}); rows are stored as "received" for the relay`);
  }
}

/** PostgreSQL refused the data (class 22 data exception, 23 integrity violation), not the connection. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
