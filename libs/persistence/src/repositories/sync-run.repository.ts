import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

export const SYNC_RUN_KINDS = ['backfill', 'recovery', 'consistency', 'parallel_run'] as const;
export type SyncRunKind = (typeof SYNC_RUN_KINDS)[number];

export const SYNC_RUN_STATES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
  'auth_failed',
] as const;
export type SyncRunState = (typeof SYNC_RUN_STATES)[number];

/** States a run does not leave. */
export const FINISHED_SYNC_RUN_STATES: readonly SyncRunState[] = [
  'succeeded',
  'failed',
  'canceled',
  'auth_failed',
];

export interface SyncRunRow {
  id: string;
  connection_id: string;
  provider: string;
  kind: SyncRunKind;
  state: SyncRunState;
  window_from: Date;
  window_to: Date;
  chunk_seconds: number;
  chunks_total: number;
  chunks_done: number;
  pages: number;
  calls_seen: number;
  calls_created: number;
  calls_updated: number;
  calls_skipped: number;
  report: Record<string, unknown> | null;
  error: string | null;
  cancel_requested: boolean;
  requested_by: string | null;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewSyncRun {
  connectionId: string;
  provider: string;
  kind: SyncRunKind;
  from: Date;
  to: Date;
  chunkSeconds: number;
  chunksTotal: number;
  requestedBy?: string;
}

/** What one finished chunk adds to a run. */
export interface SyncChunkProgress {
  pages: number;
  seen: number;
  created: number;
  updated: number;
  skipped: number;
}

export interface SyncRunListFilter {
  connectionId?: string;
  kind?: SyncRunKind;
  state?: SyncRunState;
}

/** Storage of operator-started sync runs (`sync_runs`). */
@Injectable()
export class SyncRunRepository {
  constructor(private readonly pool: DatabasePool) {}

  async create(run: NewSyncRun): Promise<SyncRunRow> {
    const { rows } = await this.pool.query<SyncRunRow>(
      `INSERT INTO sync_runs (connection_id, provider, kind, window_from, window_to, chunk_seconds, chunks_total, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        run.connectionId,
        run.provider,
        run.kind,
        run.from,
        run.to,
        run.chunkSeconds,
        run.chunksTotal,
        run.requestedBy ?? null,
      ],
    );
    return rows[0];
  }

  async find(id: string): Promise<SyncRunRow | undefined> {
    const { rows } = await this.pool.query<SyncRunRow>(`SELECT * FROM sync_runs WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Newest first, keyset-paged on (created_at, id): pass the last row's position_us and id as `before`. */
  async list(
    filter: SyncRunListFilter,
    limit: number,
    before?: { createdAtUs: string; id: string },
  ): Promise<Array<SyncRunRow & { position_us: string }>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.connectionId) where.push(`connection_id = ${param(filter.connectionId)}::uuid`);
    if (filter.kind) where.push(`kind = ${param(filter.kind)}`);
    if (filter.state) where.push(`state = ${param(filter.state)}`);
    if (before) {
      const at = `(timestamptz 'epoch' + ${param(before.createdAtUs)}::bigint * interval '1 microsecond')`;
      where.push(`(created_at, id) < (${at}, ${param(before.id)}::uuid)`);
    }
    const { rows } = await this.pool.query<SyncRunRow & { position_us: string }>(
      `SELECT *, (extract(epoch FROM created_at) * 1000000)::bigint::text AS position_us FROM sync_runs
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${param(limit)}`,
      params,
    );
    return rows;
  }

  /**
   * Claims a run for processing: only a run that is not finished and not asked to stop. Returns
   * the row as claimed, or undefined (finished, canceled, or its connection is gone).
   */
  async start(id: string): Promise<SyncRunRow | undefined> {
    const { rows } = await this.pool.query<SyncRunRow>(
      `UPDATE sync_runs
       SET state = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()),
           finished_at = NULL, error = NULL, updated_at = now()
       WHERE id = $1 AND state IN ('queued', 'running', 'failed') AND NOT cancel_requested
       RETURNING *`,
      [id],
    );
    return rows[0];
  }

  /** Adds a finished chunk; the run resumes after it when restarted. Returns false when the run is gone. */
  async finishChunk(id: string, chunk: number, progress: SyncChunkProgress): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE sync_runs
       SET chunks_done = GREATEST(chunks_done, $2), pages = pages + $3, calls_seen = calls_seen + $4,
           calls_created = calls_created + $5, calls_updated = calls_updated + $6,
           calls_skipped = calls_skipped + $7, updated_at = now()
       WHERE id = $1`,
      [id, chunk, progress.pages, progress.seen, progress.created, progress.updated, progress.skipped],
    );
    return (rowCount ?? 0) > 0;
  }

  async saveReport(id: string, report: Record<string, unknown>): Promise<void> {
    await this.pool.query(`UPDATE sync_runs SET report = $2::jsonb, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify(report),
    ]);
  }

  async finish(id: string, state: SyncRunState, error?: string): Promise<void> {
    await this.pool.query(
      `UPDATE sync_runs SET state = $2, error = $3, finished_at = now(), updated_at = now()
       WHERE id = $1 AND state NOT IN ('succeeded', 'canceled')`,
      [id, state, error?.slice(0, 2000) ?? null],
    );
  }

  /** Asks a run to stop; a queued run is canceled at once, a running one at its next page. */
  async requestCancel(id: string): Promise<SyncRunRow | undefined> {
    const { rows } = await this.pool.query<SyncRunRow>(
      `UPDATE sync_runs
       SET cancel_requested = true,
           state = CASE WHEN state IN ('queued', 'failed') THEN 'canceled' ELSE state END,
           finished_at = CASE WHEN state IN ('queued', 'failed') THEN now() ELSE finished_at END,
           updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id],
    );
    return rows[0];
  }

  async cancelRequested(id: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ cancel_requested: boolean }>(
      `SELECT cancel_requested FROM sync_runs WHERE id = $1`,
      [id],
    );
    return rows[0]?.cancel_requested ?? true;
  }

  /** Runs left unfinished (queued or interrupted), oldest first: the worker re-enqueues them at start. */
  async unfinished(limit = 1000): Promise<SyncRunRow[]> {
    const { rows } = await this.pool.query<SyncRunRow>(
      `SELECT * FROM sync_runs WHERE state IN ('queued', 'running') AND NOT cancel_requested
       ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows;
  }
}
