import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

export type WebhookLogStatus = 'received' | 'queued' | 'processed' | 'failed' | 'rejected' | 'ignored';

/** A webhook_logs row as the worker and the operator API read it. */
export interface WebhookLogRow {
  id: string;
  connection_id: string | null;
  provider: string;
  event_type: string | null;
  event_id: string | null;
  method: string;
  content_type: string | null;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  raw_body: Buffer | null;
  source_ip: string | null;
  verification: string;
  status: WebhookLogStatus;
  http_status: number;
  attempts: number;
  error: string | null;
  /** [{field, source?, reason, value}] the mapper could not use; null when none (or not mapped yet). */
  mapping_warnings?: Array<Record<string, string>> | null;
  received_at: Date;
  processed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type WebhookLogForProcessing = Pick<
  WebhookLogRow,
  | 'id'
  | 'connection_id'
  | 'provider'
  | 'method'
  | 'content_type'
  | 'query'
  | 'headers'
  | 'raw_body'
  | 'source_ip'
  | 'status'
  | 'received_at'
>;

/** A row as the worker loads it: with its created_at as exact text. */
export type LoadedWebhookLog = WebhookLogForProcessing & {
  /**
   * created_at exactly (microseconds, UTC, ISO 8601; a JS Date keeps milliseconds): with the id it
   * names the row's partition, so the statements that record the row's event and mark it processed
   * touch one partition instead of probing all of them.
   */
  created_at_key: string;
};

export interface WebhookLogFilter {
  connectionId?: string;
  provider?: string;
  status?: WebhookLogStatus;
  /** Inclusive lower bound of the time the webhook was received (created_at). */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
}

/** Where a page ended: created_at in epoch microseconds (exact, unlike a JS Date) and the id. */
export interface WebhookLogPosition {
  createdAtUs: string;
  id: string;
}

export type ListedWebhookLog = WebhookLogRow & { position_us: string };

/** One processing failure to record; `final` marks the row failed (no attempt left, or not retryable). */
export interface WebhookLogFailure {
  id: string;
  attempts: number;
  error: string;
  final: boolean;
}

export interface ClaimedWebhookLog {
  id: string;
  connection_id: string;
  provider: string;
  received_at: Date;
  previous_status: WebhookLogStatus;
}

const PROCESSING_COLUMNS = [
  'id',
  'connection_id',
  'provider',
  'method',
  'content_type',
  'query',
  'headers',
  'raw_body',
  'source_ip',
  'status',
  'received_at',
].join(', ');

/** Errors are stored for operators, but a runaway message (a whole payload, a stack) is cut. */
const MAX_ERROR_LENGTH = 2_000;

/**
 * Reads and status changes of the webhook inbox (webhook_logs) for the worker, replays and the
 * operator API. Inserting rows is the ingress's job (webhook-inbox.repository.ts).
 */
@Injectable()
export class WebhookLogRepository {
  constructor(private readonly pool: DatabasePool) {}

  /**
   * The rows a batch of jobs names, in one query. Missing ids are simply absent.
   *
   * Always through the primary key: a partition has no statistics until autovacuum first analyzes
   * it (every month's starts empty; a burst fills it faster), and without them PostgreSQL took
   * "id = ANY(800 ids)" for most of the partition and read all of it for every batch.
   * PostgreSQL has no per-query hints; a transaction-local setting is the narrowest one.
   */
  async loadForProcessing(ids: readonly string[]): Promise<LoadedWebhookLog[]> {
    if (ids.length === 0) return [];
    return this.pool.transaction(async (client) => {
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<LoadedWebhookLog>(
        // Only what processing reads: every other column would be parsed per row for nothing.
        `SELECT ${PROCESSING_COLUMNS},
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_key
         FROM webhook_logs WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows;
    });
  }

  /**
   * A connection's webhooks that passed verification, received in [from, to), oldest first and
   * keyset-paged on (received_at, id): what a parallel-run report replays through the mapper.
   */
  async listVerifiedForConnection(
    connectionId: string,
    from: Date,
    to: Date,
    limit: number,
    after?: { receivedAt: Date; id: string },
  ): Promise<WebhookLogRow[]> {
    const { rows } = await this.pool.query<WebhookLogRow>(
      `SELECT * FROM webhook_logs
       WHERE connection_id = $1 AND received_at >= $2 AND received_at < $3 AND status <> 'rejected'
         AND ($4::timestamptz IS NULL OR (received_at, id) > ($4::timestamptz, $5::uuid))
       ORDER BY received_at, id LIMIT $6`,
      [connectionId, from, to, after?.receivedAt ?? null, after?.id ?? null, limit],
    );
    return rows;
  }

  async findById(id: string): Promise<WebhookLogRow | undefined> {
    const { rows } = await this.pool.query<WebhookLogRow>('SELECT * FROM webhook_logs WHERE id = $1', [id]);
    return rows[0];
  }

  /** Records failed attempts in one statement; rows whose failure is final become `failed`. */
  async recordFailures(failures: readonly WebhookLogFailure[]): Promise<void> {
    if (failures.length === 0) return;
    await this.pool.query(
      `UPDATE webhook_logs wl
       SET attempts = x.attempts, error = x.error, updated_at = now(),
           status = CASE WHEN x.final THEN 'failed'::webhook_status ELSE wl.status END
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, attempts integer, error text, final boolean)
       WHERE wl.id = x.id`,
      [JSON.stringify(failures.map((f) => ({ ...f, error: f.error.slice(0, MAX_ERROR_LENGTH) })))],
    );
  }

  /** Newest first, keyset-paged by (created_at, id). */
  async list(
    filter: WebhookLogFilter,
    limit: number,
    after?: WebhookLogPosition,
  ): Promise<ListedWebhookLog[]> {
    const { where, params } = whereClause(filter);
    if (after) {
      params.push(after.createdAtUs, after.id);
      where.push(
        `(created_at, id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`,
      );
    }
    params.push(limit);
    const { rows } = await this.pool.query<ListedWebhookLog>(
      `SELECT *, (extract(epoch FROM created_at) * 1000000)::bigint::text AS position_us
       FROM webhook_logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows;
  }

  /**
   * Moves up to `limit` rows matching the filter (oldest first) whose status is one of `replayable`
   * back to `queued`, and returns them with the status they had. Rows another replay is claiming
   * right now are skipped (FOR UPDATE SKIP LOCKED), so two replays never enqueue a row twice.
   */
  async claimForReplay(
    filter: WebhookLogFilter & { ids?: readonly string[] },
    replayable: readonly WebhookLogStatus[],
    limit: number,
  ): Promise<ClaimedWebhookLog[]> {
    const { where, params } = whereClause(filter);
    if (filter.ids) {
      params.push(filter.ids);
      where.push(`id = ANY($${params.length}::uuid[])`);
    }
    params.push(replayable);
    where.push(`status = ANY($${params.length}::webhook_status[])`);
    where.push('connection_id IS NOT NULL');
    params.push(limit);
    const { rows } = await this.pool.query<ClaimedWebhookLog>(
      `WITH picked AS (
         SELECT id, status FROM webhook_logs WHERE ${where.join(' AND ')}
         ORDER BY created_at, id LIMIT $${params.length}
         FOR UPDATE SKIP LOCKED
       )
       UPDATE webhook_logs wl SET status = 'queued', updated_at = now()
       FROM picked WHERE wl.id = picked.id
       RETURNING wl.id, wl.connection_id, wl.provider, wl.received_at, picked.status AS previous_status`,
      params,
    );
    return rows;
  }

  /** Puts claimed rows back to the status they had (their enqueue failed). */
  async restoreStatus(rows: ReadonlyArray<{ id: string; status: WebhookLogStatus }>): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `UPDATE webhook_logs wl SET status = x.status::webhook_status, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text)
       WHERE wl.id = x.id AND wl.status = 'queued'`,
      [JSON.stringify(rows)],
    );
  }
}

function whereClause(filter: WebhookLogFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.connectionId) add((p) => `connection_id = ${p}::uuid`, filter.connectionId);
  if (filter.provider) add((p) => `provider = ${p}`, filter.provider);
  if (filter.status) add((p) => `status = ${p}::webhook_status`, filter.status);
  if (filter.from) add((p) => `created_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `created_at < ${p}`, filter.to);
  return { where, params };
}
