import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/** A `calls` row as node-postgres returns it: numeric as string (exact), timestamptz as Date, jsonb parsed. */
export interface CallRow {
  id: string;
  connection_id: string;
  provider: string;
  external_id: string;
  status: 'ringing' | 'in_progress' | 'completed' | 'missed' | 'busy' | 'failed' | 'canceled' | 'rejected';
  campaign_external_id: string | null;
  campaign_name: string | null;
  tracking_number: string | null;
  caller_number: string | null;
  destination_number: string | null;
  started_at: Date | null;
  answered_at: Date | null;
  ended_at: Date | null;
  duration_seconds: number | null;
  connected_duration_seconds: number | null;
  recording_url: string | null;
  converted: boolean | null;
  revenue: string | null;
  payout: string | null;
  cost: string | null;
  tags: Record<string, string>;
  provider_data: Record<string, unknown>;
  /** Merge bookkeeping (see the pipeline's call upsert); not part of any view. */
  field_times?: Record<string, unknown>;
  last_event_at: Date;
  last_synced_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A call without its payload and merge bookkeeping: what a sync compares with a provider record. */
export type ComparedCallRow = Omit<CallRow, 'provider_data' | 'field_times'>;

const COMPARED_COLUMNS = [
  'id',
  'connection_id',
  'provider',
  'external_id',
  'status',
  'campaign_external_id',
  'campaign_name',
  'tracking_number',
  'caller_number',
  'destination_number',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'connected_duration_seconds',
  'recording_url',
  'converted',
  'revenue',
  'payout',
  'cost',
  'tags',
  'last_event_at',
  'last_synced_at',
  'created_at',
  'updated_at',
  'version',
].join(', ');

export interface CallListFilter {
  connectionId?: string;
  provider?: string;
  status?: string;
  campaignExternalId?: string;
  /** E.164: the caller, tracking or destination number of the call. */
  number?: string;
  /** Inclusive lower bound of started_at. */
  from?: Date;
  /** Exclusive upper bound of started_at. */
  to?: Date;
}

/** Where a page ended: started_at in epoch microseconds (exact; null when unknown) and the id. */
export interface CallPosition {
  startedAtUs: string | null;
  id: string;
}

export type ListedCall = CallRow & { position_us: string | null };

/**
 * Reads of `calls` in plain SQL on the shared pool (money stays an exact decimal string). Writes
 * go through the pipeline's one merge statement, never through here.
 */
@Injectable()
export class CallRepository {
  constructor(private readonly pool: DatabasePool) {}

  /** Ids of a connection's calls (to drop their cached copies when the connection goes). */
  async idsOfConnection(connectionId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM calls WHERE connection_id = $1', [
      connectionId,
    ]);
    return rows.map((r) => r.id);
  }

  async findById(id: string): Promise<CallRow | undefined> {
    const { rows } = await this.pool.query<CallRow>('SELECT * FROM calls WHERE id = $1', [id]);
    return rows[0];
  }

  async findByExternalId(connectionId: string, externalId: string): Promise<CallRow | undefined> {
    const { rows } = await this.pool.query<CallRow>(
      'SELECT * FROM calls WHERE connection_id = $1 AND external_id = $2',
      [connectionId, externalId],
    );
    return rows[0];
  }

  /**
   * The stored calls of one connection among the given external ids (one index probe each), with
   * the fields a sync compares: not the payload or the merge bookkeeping, which are large and
   * never compared.
   */
  async findManyByExternalIds(
    connectionId: string,
    externalIds: readonly string[],
  ): Promise<ComparedCallRow[]> {
    if (externalIds.length === 0) return [];
    const { rows } = await this.pool.query<ComparedCallRow>(
      `SELECT ${COMPARED_COLUMNS} FROM calls WHERE connection_id = $1 AND external_id = ANY($2::text[])`,
      [connectionId, externalIds],
    );
    return rows;
  }

  /**
   * External ids of a connection's calls started in [from, to) that are not in `seen`, for
   * "missing at the provider" reports. `seen` is what the provider listed for the same window.
   */
  async externalIdsNotIn(
    connectionId: string,
    from: Date,
    to: Date,
    seen: readonly string[],
    limit: number,
  ): Promise<{ ids: string[]; total: number }> {
    const { rows } = await this.pool.query<{ external_id: string; total: string }>(
      `SELECT external_id, count(*) OVER () AS total FROM calls
       WHERE connection_id = $1 AND started_at >= $2 AND started_at < $3 AND NOT (external_id = ANY($4::text[]))
       ORDER BY started_at LIMIT $5`,
      [connectionId, from, to, seen, limit],
    );
    return { ids: rows.map((r) => r.external_id), total: Number(rows[0]?.total ?? 0) };
  }

  /** Stamps calls a sync has just confirmed at the provider. */
  async markSynced(connectionId: string, externalIds: readonly string[], at: Date): Promise<void> {
    if (externalIds.length === 0) return;
    await this.pool.query(
      'UPDATE calls SET last_synced_at = $3 WHERE connection_id = $1 AND external_id = ANY($2::text[])',
      [connectionId, externalIds, at],
    );
  }

  /**
   * Newest calls first (by start time; calls whose start is not known yet come last), keyset-paged:
   * pass the last row's position as `after` for the next page.
   */
  async list(filter: CallListFilter, limit: number, after?: CallPosition): Promise<ListedCall[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.connectionId) where.push(`connection_id = ${param(filter.connectionId)}`);
    if (filter.provider) where.push(`provider = ${param(filter.provider)}`);
    if (filter.status) where.push(`status = ${param(filter.status)}::call_status`);
    if (filter.campaignExternalId) where.push(`campaign_external_id = ${param(filter.campaignExternalId)}`);
    if (filter.number) {
      const n = param(filter.number);
      where.push(`(caller_number = ${n} OR tracking_number = ${n} OR destination_number = ${n})`);
    }
    if (filter.from) where.push(`started_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`started_at < ${param(filter.to)}`);
    const n = param(limit);
    const columns = `*, (extract(epoch FROM started_at) * 1000000)::bigint::text AS position_us`;
    const and = (extra: string[]) => [...where, ...extra].join(' AND ');
    // Two index range scans instead of one ORDER BY ... NULLS LAST over an OR: calls with a start
    // time in (started_at DESC, id DESC) order from the cursor on (a row comparison the index
    // answers directly, so a deep page costs what the first does), then those without one.
    const dated: string[] = ['started_at IS NOT NULL'];
    const undated: string[] = ['started_at IS NULL'];
    if (after) {
      const id = param(after.id);
      if (after.startedAtUs !== null) {
        dated.push(
          `(started_at, id) < (timestamptz 'epoch' + ${param(after.startedAtUs)}::bigint * interval '1 microsecond', ${id}::uuid)`,
        );
      } else {
        dated.push('false');
        undated.push(`id < ${id}::uuid`);
      }
    }
    const sql =
      `SELECT * FROM (` +
      `(SELECT ${columns} FROM calls WHERE ${and(dated)} ORDER BY started_at DESC, id DESC LIMIT ${n}) UNION ALL ` +
      `(SELECT ${columns} FROM calls WHERE ${and(undated)} ORDER BY id DESC LIMIT ${n})` +
      `) page ORDER BY started_at DESC NULLS LAST, id DESC LIMIT ${n}`;
    const { rows } = await this.pool.query<ListedCall>(sql, params);
    return rows;
  }
}
