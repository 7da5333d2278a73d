import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@switchboard/config';
import { CallCache, CallEventStore, LiveEventPublisher, StoredCallPublisher } from '@switchboard/pipeline';
import { ConnectionSyncLock } from './engine/connection-sync-lock.js';
import { SyncEngine } from './engine/sync-engine.js';
import { SyncPageWriter } from './engine/sync-page-writer.js';
import { SyncShutdown } from './engine/sync-shutdown.js';
import { IncrementalSyncService } from './incremental/incremental-sync.service.js';
import { SyncLagSampler } from './metrics/sync-lag.sampler.js';
import { ParallelRunComparer } from './runs/parallel-run.comparer.js';
import { SyncRunExecutor } from './runs/sync-run.executor.js';
import { SyncRunService } from './runs/sync-run.service.js';
import { SyncScheduler } from './schedule/sync-scheduler.js';
import { configuredSyncWorker } from './worker/sync-worker.host.js';

/** What the API and the CLI need: start, read and cancel runs; "sync now". */
@Module({
  providers: [SyncRunService],
  exports: [SyncRunService],
})
export class SyncModule {}

/**
 * The sync engine in the worker: the Sync queue's processor, the job schedulers, the lag gauge.
 * Relies on the global infrastructure modules (config, persistence, queue, metrics, connections).
 */
@Module({})
export class SyncWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: SyncWorkerModule,
      providers: [
        // The pipeline's storage, so a synced call is merged, cached and streamed like a webhook's.
        CallEventStore,
        CallCache,
        LiveEventPublisher,
        StoredCallPublisher,
        SyncPageWriter,
        SyncEngine,
        ConnectionSyncLock,
        SyncShutdown,
        IncrementalSyncService,
        ParallelRunComparer,
        SyncRunService,
        SyncRunExecutor,
        SyncScheduler,
        SyncLagSampler,
        configuredSyncWorker(config),
      ],
      exports: [IncrementalSyncService, SyncRunExecutor, SyncRunService, SyncScheduler, SyncLagSampler],
    };
  }
}
