import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { SyncStatusRepository } from '@switchboard/persistence';

const SAMPLE_INTERVAL_MS = 15_000;

/**
 * Sets `switchboard_sync_lag_seconds` from `sync_status`: seconds since each connection's last
 * successful scheduled sync (since its first attempt when none has succeeded yet). Read from the
 * database rather than counted in memory, so every worker reports the same figure whichever of
 * them ran the sync, and a connection whose syncs stopped altogether keeps growing.
 */
@Injectable()
export class SyncLagSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly status: SyncStatusRepository,
    private readonly metrics: SwitchboardMetrics,
  ) {}

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sample(now = Date.now()): Promise<void> {
    let rows;
    try {
      rows = await this.status.listActive();
    } catch {
      return; // database away: keep the last figures (readiness reports the outage)
    }
    this.metrics.syncLag.reset();
    for (const row of rows) {
      const since = row.last_successful_sync_at ?? row.last_sync_at ?? row.updated_at;
      this.metrics.syncLag.set(
        { provider: row.provider, connection: row.connection_id },
        Math.max(0, Math.round((now - since.getTime()) / 1000)),
      );
    }
  }
}
