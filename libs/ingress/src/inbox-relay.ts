import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@switchboard/config';
import { OutageLog } from '@switchboard/core';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { WebhookInboxRepository, type RelayRow } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { InboxBacklog, ORPHAN_AFTER_MS, rowsWithoutJob } from './inbox-backlog.js';
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
  /** Pause between two full reconcile passes over the `queued` rows (a lost Redis starts one at once). */
  reconcileEveryMs: number;
  /** How often the backlog gauges are refreshed. */
  measureEveryMs: number;
  enqueueTimeoutMs: number;
}

export const DEFAULT_RELAY_OPTIONS: InboxRelayOptions = {
  intervalMs: 2_000,
  batchSize: 500,
  minAgeMs: 1_000,
  orphanAfterMs: ORPHAN_AFTER_MS,
  reconcileEveryMs: 15_000,
  measureEveryMs: 10_000,
  enqueueTimeoutMs: 5_000,
};

/** The part of an ioredis client the marker check uses. */
interface MarkerClient {
  exists(key: string): Promise<number>;
  set(key: string, value: string): Promise<unknown>;
}

/** Where a reconcile pass starts: before every row. */
const PASS_START = { createdAt: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/**
 * Gets every stored webhook into the queue, in the worker:
 *
 * - relay: rows stored while Redis was down (status `received`) are enqueued once Redis answers
 *   again, oldest first, in bounded batches. Safe with any number of workers: rows are claimed
 *   with FOR UPDATE SKIP LOCKED inside the transaction that marks them queued, and the job id is
 *   the row id, so a row enqueued twice (a crash between addBulk and COMMIT) is still one job.
 *   (The relay adds a job per row; only the ingress batches rows into one job.)
 * - reconcile: every `queued` row older than orphanAfterMs must have its job. Passes over all of
 *   them, page by page, again and again (one pass every reconcileEveryMs), and re-adds the missing
 *   jobs, one per row (same job id, so a job that exists is never doubled). A row has its job when
 *   its ingress batch job (`job_id`) or a job of its own exists. Jobs go missing when a process dies
 *   between its INSERT and its addBulk (see InboxWriter), or when Redis loses its data (a restart
 *   without persistence, a failover, a flush). Checking each row only once, as this did before,
 *   stranded every row written before Redis lost its data until a worker restarted.
 * - Redis data loss is detected with a marker key the relay keeps in Redis: when it is gone, Redis
 *   lost everything, and a reconcile pass starts at once (one log line, a metric).
 * - the backlog (received rows, queued rows without jobs, the oldest age) goes to metrics.
 */
@Injectable()
export class InboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxRelay');
  private readonly readiness: QueueReadiness;
  private readonly outage: OutageLog;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private cursor = PASS_START;
  private nextPassAt = 0;
  private passReadded = 0;
  private nextMeasureAt = 0;
  private markerSeen = false;
  readonly markerValue = `${Date.now()}`;
  options: InboxRelayOptions = { ...DEFAULT_RELAY_OPTIONS };

  constructor(
    private readonly repository: WebhookInboxRepository,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly metrics?: SwitchboardMetrics,
    private readonly backlog?: InboxBacklog,
  ) {
    this.readiness = new QueueReadiness(queue, DEFAULT_RELAY_OPTIONS.enqueueTimeoutMs);
    this.outage = new OutageLog(this.logger, 'inbox relay');
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
   * One page of the current reconcile pass: checks the next batchSize `queued` rows (older than
   * orphanAfterMs) for their jobs and re-adds the missing ones; returns how many rows it checked
   * (0 between passes).
   */
  async sweepOnce(): Promise<number> {
    if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
    if (this.cursor === PASS_START && Date.now() < this.nextPassAt) return 0;
    const rows = await this.repository.queuedSince(
      this.cursor,
      this.options.orphanAfterMs,
      this.options.batchSize,
    );
    const missing = await rowsWithoutJob(this.queue, rows, this.options.enqueueTimeoutMs);
    if (missing.size > 0) {
      // Each on a job of its own: a batch's rows can straddle two pages, and a batch job re-added
      // from the first page would hide the second page's rows, which it does not carry.
      await this.enqueue(rows.filter((r) => missing.has(r.id)));
      this.passReadded += missing.size;
      this.metrics?.inboxJobsReadded.inc(missing.size);
    }
    if (rows.length < this.options.batchSize) {
      // The pass is complete: say once what it repaired, and start the next one later.
      if (this.passReadded > 0)
        this.logger.warn(
          `re-added ${this.passReadded} job(s) of queued webhooks whose jobs had vanished from Redis`,
        );
      this.passReadded = 0;
      this.cursor = PASS_START;
      this.nextPassAt = Date.now() + this.options.reconcileEveryMs;
    } else {
      const last = rows[rows.length - 1];
      this.cursor = { createdAt: last.createdAt, id: last.id };
    }
    return rows.length;
  }

  /**
   * Whether Redis lost its data since the last call: the relay keeps a marker key there; when the
   * marker it saw is gone, every job is gone with it. Starts a reconcile pass at once when so.
   */
  async checkRedisData(): Promise<boolean> {
    const client = (await this.queue.client) as unknown as MarkerClient;
    const key = this.queue.toKey('data-marker');
    const present = await withTimeout(client.exists(key), this.options.enqueueTimeoutMs, 'marker check');
    if (present === 1) {
      this.markerSeen = true;
      return false;
    }
    await withTimeout(client.set(key, this.markerValue), this.options.enqueueTimeoutMs, 'marker write');
    if (!this.markerSeen) {
      this.markerSeen = true;
      return false;
    }
    this.metrics?.redisDataLoss.inc();
    this.logger.error(
      'Redis lost its data (its marker key is gone: a restart without persistence, a failover or a flush); ' +
        'checking every queued webhook for its job and re-adding the missing ones',
    );
    this.cursor = PASS_START;
    this.nextPassAt = 0;
    return true;
  }

  /** Refreshes the backlog gauges (rows acknowledged but not in the queue). */
  async measure(): Promise<void> {
    if (!this.backlog || !this.metrics) return;
    const report = await this.backlog.measure(this.options.enqueueTimeoutMs);
    this.metrics.inboxWaiting.set({ state: 'received' }, report.received);
    if (report.jobMissing !== null)
      this.metrics.inboxWaiting.set({ state: 'job_missing' }, report.jobMissing);
    this.metrics.inboxWaitingOldest.set(report.oldestWaitingSeconds);
  }

  private async enqueue(rows: RelayRow[]): Promise<void> {
    const jobs = rows.map((row) => webhookJob(row, this.config.webhook.maxAttempts));
    await withTimeout(this.queue.addBulk(jobs), this.options.enqueueTimeoutMs, 'relay enqueue');
  }

  private async round(): Promise<number> {
    try {
      if (Date.now() >= this.nextMeasureAt) {
        this.nextMeasureAt = Date.now() + this.options.measureEveryMs;
        // Measured first, so the gauges show a backlog even while Redis is down.
        await this.measure();
      }
      if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
      await this.checkRedisData();
      const relayed = await this.relayOnce();
      const swept = await this.sweepOnce();
      this.outage.success();
      return Math.max(relayed, swept);
    } catch (error) {
      this.outage.failure(error);
      return 0;
    }
  }

  private plan(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round();
      void this.running.then((done) => {
        // A full batch means more may be waiting: go again at once; otherwise wait.
        this.plan(done >= this.options.batchSize ? 0 : this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }
}
