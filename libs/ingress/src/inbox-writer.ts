import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@switchboard/config';
import { DatabasePool, WebhookInboxRepository, type InboxRow } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { QueueReadiness } from './queue-readiness.js';
import { webhookJob, withTimeout } from './webhook-job.js';

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
  /** Batches in flight at once (each holds one pooled connection while it inserts). */
  maxInflight: number;
  /** How long an enqueue may take before the rows are left to the relay. */
  enqueueTimeoutMs: number;
}

/**
 * Writes inbox rows and enqueues their jobs in batches. Requests that arrive while the previous
 * batches are in flight wait in memory (microseconds to a few milliseconds) and go out together:
 * one multi-row INSERT, one addBulk, one UPDATE to `queued` per batch instead of three round trips
 * per request. At low load a batch is one row and leaves on the next turn of the event loop, so
 * batching adds no waiting time; under load the batches grow by themselves.
 *
 * Each caller learns the fate of its own row only after it is durable in PostgreSQL, so an answer
 * of 2xx always means the row exists. When Redis does not take the jobs, the rows stay `received`
 * and the relay (worker) enqueues them later.
 */
@Injectable()
export class InboxWriter {
  private readonly logger = new Logger('Ingress');
  private readonly pending: PendingWrite[] = [];
  private inflight = 0;
  private scheduled = false;
  private redisDown = false;
  private readonly readiness: QueueReadiness;
  readonly options: InboxWriterOptions;

  constructor(
    private readonly repository: WebhookInboxRepository,
    private readonly pool: DatabasePool,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    this.options = {
      maxBatch: 500,
      maxInflight: Math.max(1, Math.min(8, Math.floor(config.databasePoolSize / 2))),
      enqueueTimeoutMs: 2_000,
    };
    this.readiness = new QueueReadiness(queue, this.options.enqueueTimeoutMs);
  }

  /** Stores the row (and enqueues its job when `enqueue`); resolves once the row is in PostgreSQL. */
  write(row: InboxRow, enqueue: boolean): Promise<InboxWriteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, enqueue, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inflight >= this.options.maxInflight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending.splice(0, this.options.maxBatch);
      if (batch.length === 0) return;
      this.inflight++;
      void this.flush(batch).finally(() => {
        this.inflight--;
        this.schedule();
      });
      this.schedule();
    });
  }

  private async flush(batch: PendingWrite[]): Promise<void> {
    let stored: Awaited<ReturnType<WebhookInboxRepository['insertMany']>>;
    try {
      stored = await this.repository.insertMany(batch.map((p) => p.row));
      this.pool.markUp();
    } catch (error) {
      if (!isDataError(error)) {
        this.pool.markDown(error);
        for (const p of batch) p.reject(error);
        return;
      }
      // One bad row (a connection deleted a moment ago, a value PostgreSQL refuses) must not cost
      // the rest of the batch their writes: retry them one by one.
      await Promise.all(batch.map((p) => this.flushOne(p)));
      return;
    }

    const toQueue = batch.filter((p) => p.enqueue && stored.inserted.has(p.row.id));
    const queued = await this.enqueue(toQueue.map((p) => p.row));
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

  private async flushOne(p: PendingWrite): Promise<void> {
    try {
      const stored = await this.repository.insertMany([p.row]);
      if (stored.inserted.has(p.row.id)) {
        const queued = p.enqueue ? await this.enqueue([p.row]) : false;
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

  /** addBulk, then received -> queued. False when Redis did not take the jobs (the relay will). */
  private async enqueue(rows: InboxRow[]): Promise<boolean> {
    if (rows.length === 0) return false;
    const jobs = rows.map((row) =>
      webhookJob(
        {
          id: row.id,
          connectionId: row.connectionId as string,
          provider: row.provider,
          receivedAt: row.receivedAt,
        },
        this.config.webhook.maxAttempts,
      ),
    );
    try {
      if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
      await withTimeout(this.queue.addBulk(jobs), this.options.enqueueTimeoutMs, 'enqueue');
      if (this.redisDown) {
        this.redisDown = false;
        this.logger.log('webhook queue reachable again; new webhooks are enqueued directly');
      }
    } catch (error) {
      if (!this.redisDown) {
        this.redisDown = true;
        this.logger.error(
          `cannot enqueue webhooks (${(error as Error).message}); rows stay "received" for the relay`,
        );
      }
      return false;
    }
    try {
      await this.repository.markQueued(rows.map((r) => r.id));
    } catch {
      // The jobs are in Redis and the rows exist; a row left "received" is re-enqueued by the relay
      // under the same job id, which BullMQ ignores while the job exists.
    }
    return true;
  }
}

/** PostgreSQL refused the data (class 22 data exception, 23 integrity violation), not the connection. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
