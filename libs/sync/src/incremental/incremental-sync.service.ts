import { Injectable, Logger } from '@nestjs/common';
import { ConnectionAdapters } from '@switchboard/connections';
import { ProviderRegistry } from '@switchboard/core';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { ConnectionRepository, SyncStatusRepository } from '@switchboard/persistence';
import { ConnectionSyncLock } from '../engine/connection-sync-lock.js';
import { SyncEngine } from '../engine/sync-engine.js';
import { syncFailure } from '../engine/sync-failure.js';
import { countSyncPage } from '../metrics/sync-page-metrics.js';
import { SyncShutdown } from '../engine/sync-shutdown.js';
import { connectionSyncSettings } from '../schedule/connection-sync-settings.js';
import { incrementalWindow } from '../window/sync-window.js';

export type IncrementalOutcome =
  | { status: 'succeeded'; seen: number; created: number; updated: number; skipped: number; stopped: boolean }
  | { status: 'skipped'; reason: string }
  | { status: 'failed' | 'auth_failed'; retryable: boolean; error: string };

/**
 * The scheduled sync of one connection: reads the trailing window from its high-water mark (minus
 * the plugin's lookback, so late edits at the provider are picked up) and merges what changed.
 * One run per connection at a time across all workers; a failed run leaves the mark where it was,
 * so the next run covers the same window again.
 */
@Injectable()
export class IncrementalSyncService {
  private readonly logger = new Logger('IncrementalSync');

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly adapters: ConnectionAdapters,
    private readonly registry: ProviderRegistry,
    private readonly status: SyncStatusRepository,
    private readonly engine: SyncEngine,
    private readonly lock: ConnectionSyncLock,
    private readonly metrics: SwitchboardMetrics,
    private readonly shutdown: SyncShutdown,
  ) {}

  async run(connectionId: string, now = new Date()): Promise<IncrementalOutcome> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || !connection.isActive)
      return { status: 'skipped', reason: 'connection is gone or inactive' };
    const provider = connection.providerType;
    if (connection.mode !== 'live') {
      return {
        status: 'skipped',
        reason: 'shadow connections are compared (parallel-run report), not synced',
      };
    }
    if (!this.registry.has(provider))
      return { status: 'skipped', reason: `no plugin loaded for ${provider}` };
    if (!this.registry.supports(provider, 'history'))
      return { status: 'skipped', reason: `the ${provider} plugin has no call history to sync` };

    const held = await this.lock.tryAcquire(`incremental:${connectionId}`);
    if (!held) {
      this.metrics.syncRuns.inc({ provider, kind: 'incremental', outcome: 'skipped' });
      return { status: 'skipped', reason: 'another worker is syncing this connection' };
    }
    const started = Date.now();
    const figures = { seen: 0, changed: 0, skipped: 0 };
    try {
      const manifest = this.registry.manifest(provider);
      const settings = connectionSyncSettings(manifest.sync, connection.settings);
      const previous = await this.status.find(connectionId);
      const window = incrementalWindow({
        highWaterMark: previous?.high_water_mark ?? null,
        now,
        lookbackSeconds: settings.lookbackSeconds,
      });
      await this.status.markRunning(connectionId, provider, window.from, window.to);
      const { adapter } = this.adapters.forConnection(connection);
      const outcome = await this.engine.run({
        target: { connectionId, provider },
        adapter: this.registry.require(provider, adapter, 'history', 'sync'),
        window,
        policy: 'merge',
        pageSize: settings.batchSize,
        // A deleted or deactivated connection stops; so does a worker shutting down (the next
        // scheduled run covers the same window again).
        shouldStop: async () =>
          this.shutdown.requested || !(await this.connections.findById(connectionId))?.isActive,
        onPage: async (page, cursor) => {
          figures.seen += page.seen;
          figures.changed += page.created.length + page.updated.length;
          figures.skipped += page.skipped.length;
          countSyncPage(this.metrics, provider, 'incremental', page);
          await this.status.recordPage(connectionId, cursor);
        },
      });
      const duration = Date.now() - started;
      if (outcome.stopped) {
        // Deleted or deactivated mid-run: nothing more to record (the row may be gone with it).
        this.metrics.syncRuns.inc({ provider, kind: 'incremental', outcome: 'canceled' });
        return { status: 'succeeded', ...pick(outcome), stopped: true };
      }
      await this.status.markSucceeded(connectionId, window.to, figures, duration);
      this.metrics.syncRuns.inc({ provider, kind: 'incremental', outcome: 'succeeded' });
      this.metrics.syncLag.set({ provider, connection: connectionId }, 0);
      return { status: 'succeeded', ...pick(outcome), stopped: false };
    } catch (error) {
      const failure = syncFailure(error);
      await this.status
        .markFailed(connectionId, failure.state, failure.message, figures, Date.now() - started)
        .catch(() => undefined);
      this.metrics.syncRuns.inc({ provider, kind: 'incremental', outcome: failure.state });
      this.logger.warn(`${provider} connection ${connectionId}: sync ${failure.state}: ${failure.message}`);
      return { status: failure.state, retryable: failure.retryable, error: failure.message };
    } finally {
      await held.release();
    }
  }
}

function pick(o: { seen: number; created: number; updated: number; skipped: number }) {
  return { seen: o.seen, created: o.created, updated: o.updated, skipped: o.skipped };
}
