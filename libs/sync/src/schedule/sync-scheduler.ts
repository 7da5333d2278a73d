import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { ProviderRegistry } from '@switchboard/core';
import { ConnectionRepository, SyncRunRepository } from '@switchboard/persistence';
import { QueueName, type SyncJobData } from '@switchboard/queue';
import type { Queue } from 'bullmq';
import { SyncRunService, syncRunJobId } from '../runs/sync-run.service.js';
import { connectionSyncSettings } from './connection-sync-settings.js';

const SCHEDULER_PREFIX = 'incremental-';
const CHECK_PREFIX = 'consistency-';
export const incrementalSchedulerId = (connectionId: string) => `${SCHEDULER_PREFIX}${connectionId}`;
export const consistencySchedulerId = (connectionId: string) => `${CHECK_PREFIX}${connectionId}`;

/** How often the worker brings the job schedulers in line with the connections. */
export const RECONCILE_INTERVAL_MS = 30_000;

export interface ReconcileResult {
  scheduled: string[];
  removed: string[];
  requeuedRuns: string[];
}

/**
 * Keeps one BullMQ job scheduler per live, active connection whose plugin has a HistorySource (at
 * its plugin's interval, or the connection's own `settings.sync.intervalSeconds`) and none for any
 * other (a webhook-only plugin has nothing to sync), and re-queues
 * operator runs whose job Redis no longer has. BullMQ's schedulers live in Redis, so every worker
 * may reconcile: upserts are idempotent and each scheduled job is run once by one worker.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SyncScheduler');
  private timer?: NodeJS.Timeout;
  private failing = false;
  /** The reconcile in progress: a second one in this process waits for it (see reconcile). */
  private latest: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly runs: SyncRunRepository,
    private readonly runService: SyncRunService,
    private readonly registry: ProviderRegistry,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Sync) private readonly queue: Queue<SyncJobData>,
  ) {}

  onApplicationBootstrap(): void {
    void this.reconcileQuietly();
    this.timer = setInterval(() => void this.reconcileQuietly(), RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * One reconcile at a time per process: two overlapping ones (the timer's and an operator's) would
   * each read the schedulers before the other wrote them, and report or re-queue the same work twice.
   */
  reconcile(): Promise<ReconcileResult> {
    const run = this.latest.then(() => this.reconcileNow());
    this.latest = run.catch(() => undefined);
    return run;
  }

  private async reconcileNow(): Promise<ReconcileResult> {
    const result: ReconcileResult = { scheduled: [], removed: [], requeuedRuns: [] };
    const wanted = new Map<string, { connectionId: string; every: number; check: boolean }>();
    const checkEvery = this.config.sync.consistencyIntervalSeconds * 1000;
    if (this.config.sync.scheduleEnabled) {
      for (const connection of await this.connections.list({ activeOnly: true })) {
        if (connection.mode !== 'live' || !this.registry.has(connection.providerType)) continue;
        // Webhook-only plugins (no HistorySource) have nothing to sync: no schedule at all.
        if (!this.registry.supports(connection.providerType, 'history')) continue;
        const settings = connectionSyncSettings(
          this.registry.manifest(connection.providerType).sync,
          connection.settings,
        );
        if (!settings.enabled) continue;
        wanted.set(incrementalSchedulerId(connection.id), {
          connectionId: connection.id,
          every: settings.intervalSeconds * 1000,
          check: false,
        });
        if (checkEvery > 0) {
          wanted.set(consistencySchedulerId(connection.id), {
            connectionId: connection.id,
            every: checkEvery,
            check: true,
          });
        }
      }
    }
    const existing = new Map(
      (await this.queue.getJobSchedulers(0, -1))
        .filter((s) => s.key.startsWith(SCHEDULER_PREFIX) || s.key.startsWith(CHECK_PREFIX))
        .map((s) => [s.key, s.every]),
    );
    for (const key of existing.keys()) {
      if (wanted.has(key)) continue;
      await this.queue.removeJobScheduler(key);
      result.removed.push(key);
    }
    for (const [key, { connectionId, every, check }] of wanted) {
      if (existing.get(key) === every) continue;
      await this.queue.upsertJobScheduler(
        key,
        { every },
        {
          name: check ? 'scheduled-check' : 'incremental',
          data: check ? { kind: 'scheduled-check', connectionId } : { kind: 'incremental', connectionId },
          opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        },
      );
      result.scheduled.push(key);
    }
    for (const run of await this.runs.unfinished()) {
      if (await this.queue.getJob(syncRunJobId(run.id))) continue;
      await this.runService.enqueue(run);
      result.requeuedRuns.push(run.id);
    }
    return result;
  }

  /** The periodic form: one log line when reconciling starts failing (Redis or PostgreSQL away), one when it recovers. */
  private async reconcileQuietly(): Promise<void> {
    try {
      const result = await this.reconcile();
      if (this.failing) this.logger.log('sync schedules reconciled again');
      this.failing = false;
      if (result.scheduled.length || result.removed.length || result.requeuedRuns.length) {
        this.logger.log(
          `sync schedules: ${result.scheduled.length} set, ${result.removed.length} removed; ${result.requeuedRuns.length} runs queued again`,
        );
      }
    } catch (error) {
      if (!this.failing) this.logger.warn(`cannot reconcile sync schedules: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
