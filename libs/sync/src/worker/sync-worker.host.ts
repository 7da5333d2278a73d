import { Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { QueueName, logWorkerErrors, workerConnection, type SyncJobData } from '@switchboard/queue';
import { UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import { IncrementalSyncService, type IncrementalOutcome } from '../incremental/incremental-sync.service.js';
import { SyncRunExecutor, type RunOutcome } from '../runs/sync-run.executor.js';
import { SyncRunService } from '../runs/sync-run.service.js';
import { SyncShutdown } from '../engine/sync-shutdown.js';

/**
 * The Sync queue's processor: scheduled syncs and operator runs, several connections at once
 * (SYNC_CONCURRENCY), each job one connection, so a slow or failing provider holds up only its
 * own job. A scheduled sync that fails is not retried (the next one covers the same window); a
 * run that fails for a reason worth retrying is retried with backoff and resumes after its last
 * finished chunk.
 */
@Injectable()
export class SyncWorkerHost extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SyncWorker');

  constructor(
    private readonly incremental: IncrementalSyncService,
    private readonly runs: SyncRunExecutor,
    private readonly runService: SyncRunService,
    private readonly config: AppConfig,
    private readonly shutdown: SyncShutdown,
  ) {
    super();
  }

  async process(
    job: Job<SyncJobData>,
  ): Promise<IncrementalOutcome | RunOutcome | { status: 'queued'; runId: string }> {
    const data = job.data;
    if (data.kind === 'incremental') {
      const outcome = await this.incremental.run(data.connectionId);
      if (outcome.status === 'failed' || outcome.status === 'auth_failed')
        throw new UnrecoverableError(outcome.error);
      return outcome;
    }
    if (data.kind === 'scheduled-check') {
      // A scheduled check is an ordinary consistency run (its report and drift gauge), queued here.
      const to = new Date();
      const run = await this.runService.start({
        connectionId: data.connectionId,
        kind: 'consistency',
        from: new Date(to.getTime() - this.config.sync.consistencyWindowSeconds * 1000),
        to,
        requestedBy: 'schedule',
      });
      return { status: 'queued', runId: run.id };
    }
    const outcome = await this.runs.execute(data.runId);
    if (outcome.status === 'failed' && outcome.retryable) throw new Error(outcome.error);
    if (outcome.status === 'failed' || outcome.status === 'auth_failed')
      throw new UnrecoverableError(outcome.error);
    return outcome;
  }

  onApplicationBootstrap(): void {
    logWorkerErrors(this.worker, this.logger, 'sync worker (Redis)');
    this.worker
      .run()
      .catch((error: unknown) => this.logger.error(`sync worker stopped: ${(error as Error).message}`));
  }

  /** SIGTERM: stop taking jobs; the ones in flight stop after their current page. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.request();
    await this.worker.close();
  }
}

/** A SyncWorkerHost subclass carrying this process's worker options (class metadata, see the webhook worker). */
export function configuredSyncWorker(config: AppConfig): Type<SyncWorkerHost> {
  const workerOptions: Partial<WorkerOptions> = {
    connection: workerConnection(config.redisUrl),
    concurrency: config.sync.concurrency,
    autorun: false,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
    // A run whose worker died goes back to the queue and resumes after its last finished chunk.
    maxStalledCount: 5,
  };

  @Processor(QueueName.Sync, workerOptions)
  class ConfiguredSyncWorker extends SyncWorkerHost {}
  return ConfiguredSyncWorker;
}
