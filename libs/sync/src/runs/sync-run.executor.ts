import { Injectable, Logger } from '@nestjs/common';
import { ConnectionAdapters } from '@switchboard/connections';
import { ProviderRegistry } from '@switchboard/core';
import { SwitchboardMetrics } from '@switchboard/metrics';
import {
  CallRepository,
  ConnectionRepository,
  SyncRunRepository,
  type SyncRunKind,
  type SyncRunRow,
} from '@switchboard/persistence';
import { SyncEngine } from '../engine/sync-engine.js';
import { ConnectionSyncLock } from '../engine/connection-sync-lock.js';
import { syncFailure } from '../engine/sync-failure.js';
import { countSyncPage } from '../metrics/sync-page-metrics.js';
import { SyncInterrupted, SyncShutdown } from '../engine/sync-shutdown.js';
import type { PageOutcome, SyncWritePolicy } from '../engine/sync-page-writer.js';
import { connectionSyncSettings } from '../schedule/connection-sync-settings.js';
import { chunkWindow } from '../window/sync-window.js';
import { ParallelRunComparer } from './parallel-run.comparer.js';
import { RunReportBuilder } from './run-report.js';

export type RunOutcome =
  | { status: 'succeeded' | 'canceled' | 'skipped' }
  | { status: 'failed' | 'auth_failed'; retryable: boolean; error: string };

const POLICY: Record<Exclude<SyncRunKind, 'parallel_run'>, SyncWritePolicy> = {
  backfill: 'merge',
  recovery: 'recover',
  consistency: 'compare',
};

/** Most "missing at the provider" ids a consistency report lists per chunk (the total is exact). */
const MISSING_AT_PROVIDER_SAMPLE = 1000;

/**
 * Carries out an operator-started run chunk by chunk (chunks are slices of the window, a day by
 * default). After each chunk its progress and report are saved, so a run whose worker died
 * resumes after the last finished chunk; a cancel request or the connection's deletion stops it
 * at the next page.
 */
@Injectable()
export class SyncRunExecutor {
  private readonly logger = new Logger('SyncRun');

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly connections: ConnectionRepository,
    private readonly calls: CallRepository,
    private readonly adapters: ConnectionAdapters,
    private readonly registry: ProviderRegistry,
    private readonly engine: SyncEngine,
    private readonly parallelRun: ParallelRunComparer,
    private readonly metrics: SwitchboardMetrics,
    private readonly shutdown: SyncShutdown,
    private readonly lock: ConnectionSyncLock,
  ) {}

  async execute(runId: string): Promise<RunOutcome> {
    // BullMQ may hand a job whose lock renewal was late (a stalled event loop) to a second worker
    // while the first still runs it: the run's own lock keeps it to one at a time. The second
    // tries again later and finds the run finished, or resumes it if the first died.
    const held = await this.lock.tryAcquire(`run:${runId}`);
    if (!held)
      return { status: 'failed', retryable: true, error: 'the run is being carried out by another worker' };
    try {
      return await this.executeHeld(runId);
    } finally {
      await held.release();
    }
  }

  private async executeHeld(runId: string): Promise<RunOutcome> {
    const run = await this.runs.start(runId);
    if (!run) return { status: 'skipped' };
    const { provider, kind } = run;
    try {
      const connection = await this.connections.findById(run.connection_id);
      if (!connection) return { status: 'canceled' }; // its runs went with it
      // A run queued before its plugin lost (or never had) a HistorySource fails, not retried.
      const adapter = this.registry.require(
        provider,
        this.adapters.forConnection(connection).adapter,
        'history',
        'sync run',
      );
      const settings = connectionSyncSettings(this.registry.manifest(provider).sync, connection.settings);
      const report = new RunReportBuilder(kind, run.report);
      const stop = async () => {
        if (this.shutdown.requested) throw new SyncInterrupted();
        return this.runs.cancelRequested(run.id);
      };
      const target = { connectionId: run.connection_id, provider };

      for (let chunk = run.chunks_done; chunk < run.chunks_total; chunk++) {
        if (await stop()) return await this.finish(run, 'canceled');
        const window = chunkWindow({ from: run.window_from, to: run.window_to }, run.chunk_seconds, chunk);
        const progress = { pages: 0, seen: 0, created: 0, updated: 0, skipped: 0 };
        const seenIds: string[] = [];
        const onPage = (page: PageOutcome) => {
          report.addPage(page, chunk);
          if (kind === 'consistency') seenIds.push(...page.seenIds);
          progress.pages++;
          progress.seen += page.seen;
          progress.created += page.created.length;
          progress.updated += page.updated.length;
          progress.skipped += page.skipped.length;
          countSyncPage(this.metrics, provider, kind, page);
        };
        if (kind === 'parallel_run') {
          const stopped = await this.parallelRun.compareChunk({
            target,
            adapter: this.registry.require(provider, adapter, 'webhooks', 'parallel-run report'),
            window,
            pageSize: settings.batchSize,
            report,
            chunk,
            shouldStop: stop,
            onPage,
          });
          if (stopped) return await this.finish(run, 'canceled');
        } else {
          const outcome = await this.engine.run({
            target,
            adapter,
            window,
            policy: POLICY[kind],
            pageSize: settings.batchSize,
            shouldStop: stop,
            onPage,
          });
          if (outcome.stopped) return await this.finish(run, 'canceled');
          if (kind === 'consistency') {
            const missing = await this.calls.externalIdsNotIn(
              run.connection_id,
              window.from,
              window.to,
              seenIds,
              MISSING_AT_PROVIDER_SAMPLE,
            );
            report.addMissingAtProvider(missing.ids, missing.total);
          }
        }
        await this.runs.saveReport(run.id, report.toJSON() as unknown as Record<string, unknown>);
        if (!(await this.runs.finishChunk(run.id, chunk + 1, progress))) return { status: 'canceled' };
      }
      if (kind === 'consistency') this.publishDrift(run.connection_id, report);
      return await this.finish(run, 'succeeded');
    } catch (error) {
      if (error instanceof SyncInterrupted) {
        // Still "running": the job is retried, and the next worker resumes after the last chunk.
        this.logger.log(`${kind} ${run.id} (${provider}) interrupted by shutdown; it will resume`);
        return { status: 'failed', retryable: true, error: error.message };
      }
      const failure = syncFailure(error);
      await this.runs.finish(run.id, failure.state, failure.message).catch(() => undefined);
      this.metrics.syncRuns.inc({ provider, kind, outcome: failure.state });
      this.logger.warn(`${kind} ${run.id} (${provider}) ${failure.state}: ${failure.message}`);
      return { status: failure.state, retryable: failure.retryable, error: failure.message };
    }
  }

  private async finish(run: SyncRunRow, state: 'succeeded' | 'canceled'): Promise<RunOutcome> {
    await this.runs.finish(run.id, state);
    this.metrics.syncRuns.inc({ provider: run.provider, kind: run.kind, outcome: state });
    this.logger.log(`${run.kind} ${run.id} (${run.provider}) ${state}`);
    return { status: state };
  }

  private publishDrift(connectionId: string, report: RunReportBuilder): void {
    const r = report.toJSON();
    this.metrics.consistencyDrift.set(
      { connection: connectionId, kind: 'missing_here' },
      r.missingHere?.total ?? 0,
    );
    this.metrics.consistencyDrift.set(
      { connection: connectionId, kind: 'missing_at_provider' },
      r.missingAtProvider?.total ?? 0,
    );
    this.metrics.consistencyDrift.set(
      { connection: connectionId, kind: 'field_mismatch' },
      r.fieldMismatches?.total ?? 0,
    );
  }
}
