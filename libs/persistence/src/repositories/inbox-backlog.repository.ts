import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/** Rows of webhook_logs that were acknowledged but are not (known to be) in the queue. */
export interface RelayBacklog {
  /** Rows `received`: stored while Redis was down, waiting for the relay. */
  count: number;
  /** created_at of the oldest of them. */
  oldest: Date | null;
}

export interface QueuedRowAge {
  id: string;
  createdAt: Date;
  /** The batch job the ingress added it in, if any. */
  jobId: string | null;
}

/**
 * What the health check and the metrics read about the inbox backlog. Read-only, and separate from
 * WebhookInboxRepository (the ingress hot path), so that the measurements never touch its
 * prepared statements.
 */
@Injectable()
export class InboxBacklogRepository {
  constructor(private readonly pool: DatabasePool) {}

  async waitingForRelay(): Promise<RelayBacklog> {
    const result = await this.pool.query<{ n: string; oldest: Date | null }>(
      `SELECT count(*) AS n, min(created_at) AS oldest FROM webhook_logs
        WHERE status = 'received' AND connection_id IS NOT NULL`,
    );
    const row = result.rows[0];
    return { count: Number(row?.n ?? 0), oldest: row?.oldest ?? null };
  }

  /** The oldest `limit` rows still `queued` that were written at least `minAgeMs` ago. */
  async oldestQueued(minAgeMs: number, limit: number): Promise<QueuedRowAge[]> {
    const result = await this.pool.query<{ id: string; created_at: Date; job_id: string | null }>(
      `SELECT id, created_at, job_id FROM webhook_logs
        WHERE status = 'queued' AND connection_id IS NOT NULL
          AND created_at <= now() - $1::int * interval '1 millisecond'
        ORDER BY created_at LIMIT $2`,
      [Math.max(0, Math.floor(minAgeMs)), limit],
    );
    return result.rows.map((r) => ({ id: r.id, createdAt: r.created_at, jobId: r.job_id }));
  }
}
