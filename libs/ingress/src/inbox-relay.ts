import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@switchboard/config';
import { WebhookInboxRepository, type RelayRow } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { QueueReadiness } from './queue-readiness.js';
import { webhookJob, withTimeout } from './webhook-job.js';

export interface InboxRelayOptions {
  /** Pause between rounds when there was nothing (or little) to relay. */
  intervalMs: number;
  /** Rows per round (one transaction, one addBulk). */
  batchSize: number;
  /**
   * Rows younger than this are left alone: the ingress that wrote them may still be enqueueing
   * them. (Enqueueing them twice would be harmless — same job id — but needless.)
   */
  minAgeMs: number;
  enqueueTimeoutMs: number;
}

export const DEFAULT_RELAY_OPTIONS: InboxRelayOptions = {
  intervalMs: 2_000,
  batchSize: 500,
  minAgeMs: 10_000,
  enqueueTimeoutMs: 5_000,
};

/**
 * Enqueues inbox rows that were stored while Redis was down (status `received`), oldest first, in
 * bounded batches, once Redis answers again. Safe with any number of workers: rows are claimed with
 * FOR UPDATE SKIP LOCKED inside the transaction that marks them queued, and the job id is the row
 * id, so a row enqueued twice (a crash between addBulk and COMMIT) is still one job.
 */
@Injectable()
export class InboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private failing = false;
  private readonly readiness: QueueReadiness;
  options: InboxRelayOptions = { ...DEFAULT_RELAY_OPTIONS };

  constructor(
    private readonly repository: WebhookInboxRepository,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {
    this.readiness = new QueueReadiness(queue, DEFAULT_RELAY_OPTIONS.enqueueTimeoutMs);
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

  /**
   * One round: relays up to batchSize rows; returns how many. Errors (database or Redis down) are
   * logged once per outage and thrown to the caller; the loop just tries again later.
   */
  async relayOnce(): Promise<number> {
    // No transaction (and no row locks) while there is no queue to relay to.
    if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
    const relayed = await this.repository.relayReceived(
      this.options.batchSize,
      this.options.minAgeMs,
      (rows) => this.enqueue(rows),
    );
    if (this.failing) {
      this.failing = false;
      this.logger.log('relay working again');
    }
    if (relayed > 0) this.logger.log(`relayed ${relayed} webhook(s) stored while the queue was unreachable`);
    return relayed;
  }

  private async enqueue(rows: RelayRow[]): Promise<void> {
    const jobs = rows.map((row) => webhookJob(row, this.config.webhook.maxAttempts));
    await withTimeout(this.queue.addBulk(jobs), this.options.enqueueTimeoutMs, 'relay enqueue');
  }

  private plan(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayOnce().catch((error: unknown) => {
        if (!this.failing) {
          this.failing = true;
          this.logger.warn(`relay paused: ${(error as Error).message ?? String(error)}; retrying`);
        }
        return 0;
      });
      void this.running.then((relayed) => {
        // A full batch means more may be waiting: go again at once; otherwise wait.
        this.plan(relayed >= this.options.batchSize ? 0 : this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }
}
