import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

export type SyncStatusState = 'idle' | 'running' | 'succeeded' | 'failed' | 'auth_failed';

/** The scheduled (incremental) sync's state of one connection: one `sync_status` row, kind "incremental". */
export interface SyncStatusRow {
  connection_id: string;
  provider: string;
  state: SyncStatusState;
  cursor: unknown;
  window_start: Date | null;
  window_end: Date | null;
  high_water_mark: Date | null;
  last_sync_at: Date | null;
  last_successful_sync_at: Date | null;
  records_seen: number;
  records_changed: number;
  records_skipped: number;
  records_synced: number;
  consecutive_failures: number;
  last_duration_ms: number | null;
  error: string | null;
  updated_at: Date;
}

export interface SyncRunFigures {
  seen: number;
  changed: number;
  skipped: number;
}

const INCREMENTAL = 'incremental';

/** Storage of the scheduled sync's state (`sync_status`). */
@Injectable()
export class SyncStatusRepository {
  constructor(private readonly pool: DatabasePool) {}

  async find(connectionId: string): Promise<SyncStatusRow | undefined> {
    const { rows } = await this.pool.query<SyncStatusRow>(
      `SELECT * FROM sync_status WHERE connection_id = $1 AND kind = $2`,
      [connectionId, INCREMENTAL],
    );
    return rows[0];
  }

  /** The scheduled sync state of every active live connection (the ones that are synced). */
  async listActive(): Promise<SyncStatusRow[]> {
    const { rows } = await this.pool.query<SyncStatusRow>(
      `SELECT s.* FROM sync_status s JOIN provider_connections c ON c.id = s.connection_id
       WHERE s.kind = $1 AND c.is_active AND c.mode = 'live' ORDER BY s.provider, s.connection_id`,
      [INCREMENTAL],
    );
    return rows;
  }

  /** Marks a run started over a window (creating the row on a connection's first sync). */
  async markRunning(connectionId: string, provider: string, from: Date, to: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO sync_status (connection_id, provider, kind, state, window_start, window_end, last_sync_at)
       VALUES ($1, $2, $3, 'running', $4, $5, now())
       ON CONFLICT (connection_id, kind) DO UPDATE
       SET state = 'running', window_start = $4, window_end = $5, last_sync_at = now(), updated_at = now()`,
      [connectionId, provider, INCREMENTAL, from, to],
    );
  }

  /** Records a page's progress, so a long run shows where it is. */
  async recordPage(connectionId: string, cursor: string | undefined): Promise<void> {
    await this.pool.query(
      `UPDATE sync_status SET cursor = $3::jsonb, updated_at = now() WHERE connection_id = $1 AND kind = $2`,
      [connectionId, INCREMENTAL, JSON.stringify(cursor ?? null)],
    );
  }

  /** A finished run moves the high-water mark to the end of its window. */
  async markSucceeded(
    connectionId: string,
    highWaterMark: Date,
    figures: SyncRunFigures,
    durationMs: number,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE sync_status
       SET state = 'succeeded', high_water_mark = GREATEST(high_water_mark, $3), cursor = NULL,
           last_successful_sync_at = now(), records_seen = $4, records_changed = $5, records_skipped = $6,
           records_synced = records_synced + $5, consecutive_failures = 0, last_duration_ms = $7,
           error = NULL, updated_at = now()
       WHERE connection_id = $1 AND kind = $2`,
      [connectionId, INCREMENTAL, highWaterMark, figures.seen, figures.changed, figures.skipped, durationMs],
    );
  }

  /** A failed run keeps the high-water mark, so the next run covers the same window again. */
  async markFailed(
    connectionId: string,
    state: 'failed' | 'auth_failed',
    error: string,
    figures: SyncRunFigures,
    durationMs: number,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE sync_status
       SET state = $3::sync_state, error = $4, consecutive_failures = consecutive_failures + 1,
           records_seen = $5, records_changed = $6, records_skipped = $7,
           records_synced = records_synced + $6, last_duration_ms = $8, updated_at = now()
       WHERE connection_id = $1 AND kind = $2`,
      [
        connectionId,
        INCREMENTAL,
        state,
        error.slice(0, 2000),
        figures.seen,
        figures.changed,
        figures.skipped,
        durationMs,
      ],
    );
  }
}
