import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/**
 * Statuses the ingress writes: `queued` for a row whose job it is about to enqueue (set back to
 * `received` when the enqueue fails), `received` when the queue is known to be down, `rejected`
 * and `ignored` for audit rows. The worker moves rows on to processed / failed.
 */
export type InboxRowStatus = 'received' | 'queued' | 'rejected' | 'ignored';

/** One webhook_logs row as the ingress writes it (id chosen by the caller, so it can be the job id). */
export interface InboxRow {
  id: string;
  connectionId: string | null;
  provider: string;
  eventType: string | null;
  eventId: string | null;
  /** `${connectionId}:${eventId}`, only on accepted rows: its claim in webhook_dedup_keys spots redeliveries. */
  dedupKey: string | null;
  method: string;
  contentType: string | null;
  /** Query parameters with secret-bearing ones removed. */
  query: Record<string, unknown>;
  /** Headers with secret-bearing ones removed. */
  headers: Record<string, unknown>;
  rawBody: Buffer | null;
  sourceIp: string | null;
  verification: string;
  status: InboxRowStatus;
  /** The batch job that carries this row (see webhookBatchJobId); null when its job id is its own id. */
  jobId?: string | null;
  httpStatus: number;
  error: string | null;
  receivedAt: Date;
}

export interface InsertManyResult {
  /** Ids of the rows that were stored. */
  inserted: Set<string>;
  /** For rows whose dedup key was already claimed: dedup key -> id of the row that holds it. */
  duplicates: Map<string, string>;
}

/** A row waiting for its enqueue (Redis was down when it arrived). */
export interface RelayRow {
  id: string;
  connectionId: string;
  provider: string;
  receivedAt: Date;
}

/** A `queued` row, with the time it was written (the relay's sweep cursor). */
export interface QueuedRow extends RelayRow {
  /** created_at as PostgreSQL's text, to the microsecond (a Date would cut it to milliseconds). */
  createdAt: string;
  /** The batch job the ingress added it in, if any. */
  jobId: string | null;
}

// One statement shape whatever the batch size (arrays, not N rows of parameters), so it is
// prepared once per connection and PostgreSQL plans it once.
// webhook_logs is partitioned by created_at, so it cannot hold a unique index on dedup_key alone:
// the key is claimed in webhook_dedup_keys (unpartitioned) by the same statement, and only rows
// whose key was claimed (or that have none) are written. A key another transaction is claiming
// makes this one wait for it, exactly as the unique index did.
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[], $6::text[],
    $7::varchar[], $8::varchar[], $9::jsonb[], $10::jsonb[], $11::bytea[], $12::varchar[], $13::varchar[],
    $14::webhook_status[], $15::smallint[], $16::text[], $17::timestamptz[], $18::varchar[])
    AS r(id, connection_id, provider, event_type, event_id, dedup_key, method, content_type, query, headers,
      raw_body, source_ip, verification, status, http_status, error, received_at, job_id)
),
claimed AS (
  INSERT INTO webhook_dedup_keys (dedup_key, webhook_log_id, created_at)
  SELECT dedup_key, id, now() FROM input WHERE dedup_key IS NOT NULL
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING webhook_log_id
)
INSERT INTO webhook_logs (id, connection_id, provider, event_type, event_id, dedup_key, method, content_type,
  query, headers, raw_body, source_ip, verification, status, http_status, error, received_at, job_id, created_at)
SELECT i.id, i.connection_id, i.provider, i.event_type, i.event_id, i.dedup_key, i.method, i.content_type,
  i.query, i.headers, i.raw_body, i.source_ip, i.verification, i.status, i.http_status, i.error, i.received_at,
  i.job_id, now()
FROM input i
WHERE i.dedup_key IS NULL OR i.id IN (SELECT webhook_log_id FROM claimed)
RETURNING id`;

/**
 * The webhook inbox (webhook_logs) on the hot path: multi-row writes in one round trip through the
 * shared pg pool, and the relay's claim of rows that missed their enqueue. Prisma is not used here:
 * these are the statements that decide the ingress throughput.
 */
@Injectable()
export class WebhookInboxRepository {
  constructor(private readonly pool: DatabasePool) {}

  /** Inserts rows in one statement; a row whose dedup_key is taken is skipped and its holder reported. */
  async insertMany(rows: readonly InboxRow[]): Promise<InsertManyResult> {
    if (rows.length === 0) return { inserted: new Set(), duplicates: new Map() };
    const columns: unknown[][] = Array.from({ length: 18 }, () => new Array(rows.length));
    rows.forEach((r, i) => {
      columns[0][i] = r.id;
      columns[1][i] = r.connectionId;
      columns[2][i] = r.provider;
      columns[3][i] = truncate(r.eventType, 100);
      columns[4][i] = truncate(r.eventId, 255);
      columns[5][i] = r.dedupKey === null ? null : truncate(r.dedupKey, 320);
      columns[6][i] = r.method;
      columns[7][i] = truncate(r.contentType, 255);
      columns[8][i] = JSON.stringify(r.query);
      columns[9][i] = JSON.stringify(r.headers);
      columns[10][i] = r.rawBody;
      columns[11][i] = truncate(r.sourceIp, 64);
      columns[12][i] = truncate(r.verification, 64);
      columns[13][i] = r.status;
      columns[14][i] = r.httpStatus;
      columns[15][i] = r.error;
      columns[16][i] = r.receivedAt;
      columns[17][i] = r.jobId ?? null;
    });
    const result = await this.pool.query<{ id: string }>({
      name: 'webhook_inbox_insert',
      text: INSERT_SQL,
      values: columns,
    });
    const inserted = new Set(result.rows.map((row) => row.id));
    const missing = rows
      .filter((r) => !inserted.has(r.id) && r.dedupKey !== null)
      .map((r) => r.dedupKey as string);
    const duplicates = new Map<string, string>();
    if (missing.length > 0) {
      const holders = await this.pool.query<{ id: string; dedup_key: string }>(
        'SELECT webhook_log_id AS id, dedup_key FROM webhook_dedup_keys WHERE dedup_key = ANY($1::text[])',
        [missing],
      );
      for (const row of holders.rows) duplicates.set(row.dedup_key, row.id);
    }
    return { inserted, duplicates };
  }

  /**
   * queued -> received, for rows written as `queued` whose enqueue then failed: the relay picks
   * them up. Never touches a row the worker has already moved on.
   */
  async markReceived(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.pool.query({
      name: 'webhook_inbox_mark_received',
      text: `UPDATE webhook_logs SET status = 'received', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
      values: [ids],
    });
    return result.rowCount ?? 0;
  }

  /**
   * Rows still `queued` that were written after `after` (created_at, id) and at least `minAgeMs`
   * ago, oldest first: the relay checks that each has its job (see InboxRelay.sweep).
   */
  async queuedSince(
    after: { createdAt: string; id: string },
    minAgeMs: number,
    limit: number,
  ): Promise<QueuedRow[]> {
    const result = await this.pool.query<{
      id: string;
      connection_id: string;
      provider: string;
      received_at: Date;
      created_at: string;
      job_id: string | null;
    }>(
      `SELECT id, connection_id, provider, received_at, created_at::text AS created_at, job_id FROM webhook_logs
        WHERE status = 'queued' AND connection_id IS NOT NULL
          AND (created_at, id) > ($1::timestamptz, $2::uuid)
          AND created_at <= now() - $3::int * interval '1 millisecond'
        ORDER BY created_at, id
        LIMIT $4`,
      [after.createdAt, after.id, Math.max(0, Math.floor(minAgeMs)), limit],
    );
    return result.rows.map((r) => ({
      id: r.id,
      connectionId: r.connection_id,
      provider: r.provider,
      receivedAt: r.received_at,
      createdAt: r.created_at,
      jobId: r.job_id,
    }));
  }

  /**
   * Claims up to `limit` rows still `received` and older than `minAgeMs` (oldest first), hands them
   * to `enqueue`, and marks them queued when it resolves — all in one transaction with
   * FOR UPDATE SKIP LOCKED, so several relays never claim the same row. When `enqueue` throws the
   * transaction rolls back and the rows wait for the next round. Returns how many were relayed.
   */
  async relayReceived(
    limit: number,
    minAgeMs: number,
    enqueue: (rows: RelayRow[]) => Promise<void>,
  ): Promise<number> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const claimed = await client.query<{
        id: string;
        connection_id: string;
        provider: string;
        received_at: Date;
      }>(
        `SELECT id, connection_id, provider, received_at FROM webhook_logs
          WHERE status = 'received' AND connection_id IS NOT NULL
            AND created_at <= now() - $2::int * interval '1 millisecond'
          ORDER BY created_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit, Math.max(0, Math.floor(minAgeMs))],
      );
      const rows = claimed.rows.map((r) => ({
        id: r.id,
        connectionId: r.connection_id,
        provider: r.provider,
        receivedAt: r.received_at,
      }));
      if (rows.length > 0) {
        try {
          await enqueue(rows);
        } catch (error) {
          await client.query('ROLLBACK');
          throw new RelayEnqueueError(error);
        }
        await client.query(
          `UPDATE webhook_logs SET status = 'queued', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'received'`,
          [rows.map((r) => r.id)],
        );
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      // A connection that failed mid-transaction must not go back to the pool.
      if (!(error instanceof RelayEnqueueError))
        broken = error instanceof Error ? error : new Error(String(error));
      throw error instanceof RelayEnqueueError ? error.cause : error;
    } finally {
      client.release(broken);
    }
  }

  /** How many rows wait for the relay (for metrics and health). */
  async countReceived(): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM webhook_logs WHERE status = 'received' AND connection_id IS NOT NULL`,
    );
    return Number(result.rows[0]?.n ?? 0);
  }
}

/** Marks an enqueue failure inside relayReceived, so the database connection is known to be healthy. */
class RelayEnqueueError extends Error {
  constructor(override readonly cause: unknown) {
    super('enqueue failed');
  }
}

function truncate(value: string | null, max: number): string | null {
  return value === null || value.length <= max ? value : value.slice(0, max);
}
