import type { SyncRunRow, SyncStatusRow } from '@switchboard/persistence';
import type { RunProgress } from '../window/sync-window.js';

/** A sync run as the API shows it: its window, counters, progress (rate, ETA) and report. */
export function toSyncRunView(run: SyncRunRow, progress: RunProgress) {
  return {
    id: run.id,
    connectionId: run.connection_id,
    provider: run.provider,
    kind: run.kind,
    state: run.state,
    from: run.window_from.toISOString(),
    to: run.window_to.toISOString(),
    chunks: { done: run.chunks_done, total: run.chunks_total, seconds: run.chunk_seconds },
    calls: {
      seen: run.calls_seen,
      created: run.calls_created,
      updated: run.calls_updated,
      skipped: run.calls_skipped,
    },
    pages: run.pages,
    progress,
    report: run.report,
    error: run.error,
    cancelRequested: run.cancel_requested,
    requestedBy: run.requested_by,
    attempts: run.attempts,
    createdAt: run.created_at.toISOString(),
    startedAt: run.started_at?.toISOString() ?? null,
    finishedAt: run.finished_at?.toISOString() ?? null,
  };
}

/** A connection's scheduled sync state. */
export function toSyncStatusView(status: SyncStatusRow | undefined) {
  if (!status) return { state: 'never_run' as const };
  return {
    state: status.state,
    highWaterMark: status.high_water_mark?.toISOString() ?? null,
    window: {
      from: status.window_start?.toISOString() ?? null,
      to: status.window_end?.toISOString() ?? null,
    },
    lastAttemptAt: status.last_sync_at?.toISOString() ?? null,
    lastSuccessAt: status.last_successful_sync_at?.toISOString() ?? null,
    lastRun: {
      seen: status.records_seen,
      changed: status.records_changed,
      skipped: status.records_skipped,
      durationMs: status.last_duration_ms,
    },
    totalChanged: status.records_synced,
    consecutiveFailures: status.consecutive_failures,
    error: status.error,
  };
}
