import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

export const CALL_REPORT_GROUPS = ['provider', 'connection', 'campaign', 'publisher', 'day', 'hour'] as const;
export type CallReportGroup = (typeof CALL_REPORT_GROUPS)[number];

export interface CallReportQuery {
  /** Inclusive lower bound of started_at. */
  from: Date;
  /** Exclusive upper bound of started_at. */
  to: Date;
  groupBy: CallReportGroup;
  /** IANA time zone for day/hour buckets (e.g. America/New_York); UTC by default. */
  timeZone: string;
  connectionId?: string;
  provider?: string;
}

/**
 * One group of a call report. Counts are numbers; money, rates and averages are exact decimal
 * strings computed by PostgreSQL (numeric), never floats.
 */
export interface CallReportRow {
  key: string | null;
  label: string | null;
  provider: string | null;
  connection_id: string | null;
  calls: string;
  answered: string;
  converted: string;
  answer_rate: string | null;
  conversion_rate: string | null;
  duration_seconds: string;
  avg_duration_seconds: string | null;
  revenue: string;
  payout: string;
  cost: string;
  margin: string;
}

/** The grouping key, a human label, and the provider/connection columns of each group. */
const GROUPS: Record<CallReportGroup, { key: string; label: string; provider: string; connection: string }> =
  {
    provider: { key: 'c.provider', label: 'c.provider', provider: 'c.provider', connection: 'NULL::uuid' },
    connection: {
      key: 'c.connection_id::text',
      label: 'max(pc.name)',
      provider: 'max(c.provider)',
      connection: 'c.connection_id',
    },
    campaign: {
      key: 'c.campaign_external_id',
      label: 'max(c.campaign_name)',
      provider: 'max(c.provider)',
      connection: 'c.connection_id',
    },
    publisher: {
      key: "COALESCE(c.tags->>'publisherId', c.tags->>'publisherName')",
      label: "max(c.tags->>'publisherName')",
      provider: 'NULL',
      connection: 'NULL::uuid',
    },
    day: {
      key: "to_char(date_trunc('day', c.started_at AT TIME ZONE $3), 'YYYY-MM-DD')",
      label: "to_char(date_trunc('day', c.started_at AT TIME ZONE $3), 'YYYY-MM-DD')",
      provider: 'NULL',
      connection: 'NULL::uuid',
    },
    hour: {
      key: `to_char(date_trunc('hour', c.started_at AT TIME ZONE $3), 'YYYY-MM-DD"T"HH24:00')`,
      label: `to_char(date_trunc('hour', c.started_at AT TIME ZONE $3), 'YYYY-MM-DD"T"HH24:00')`,
      provider: 'NULL',
      connection: 'NULL::uuid',
    },
  };

/** Extra GROUP BY columns: a campaign id is only unique within its connection. */
const GROUP_BY: Record<CallReportGroup, string> = {
  provider: 'c.provider',
  connection: 'c.connection_id',
  campaign: 'c.connection_id, c.campaign_external_id',
  publisher: "COALESCE(c.tags->>'publisherId', c.tags->>'publisherName')",
  // Grouped (and ordered) by the bucket's timestamp, not its text: no collation sort of ~100k strings.
  day: "date_trunc('day', c.started_at AT TIME ZONE $3)",
  hour: "date_trunc('hour', c.started_at AT TIME ZONE $3)",
};

/**
 * Call reports across providers: one SQL statement per report, aggregating `calls` started in
 * [from, to). A call counts as answered when it has an answer time or connected seconds, as
 * converted when `converted` is true; margin = revenue - payout. Day and hour buckets are taken in
 * the requested time zone (a day in New York is not a UTC day).
 */
@Injectable()
export class CallReportRepository {
  constructor(private readonly pool: DatabasePool) {}

  async report(query: CallReportQuery): Promise<CallReportRow[]> {
    const group = GROUPS[query.groupBy];
    const params: unknown[] = [query.from, query.to, query.timeZone];
    const where = ['c.started_at >= $1', 'c.started_at < $2'];
    if (query.connectionId) {
      params.push(query.connectionId);
      where.push(`c.connection_id = $${params.length}::uuid`);
    }
    if (query.provider) {
      params.push(query.provider);
      where.push(`c.provider = $${params.length}`);
    }
    // $3 (the zone) is referenced by every statement so its type is always known.
    const sql = `
      SELECT ${group.key} AS key, ${group.label} AS label,
             ${group.provider} AS provider, ${group.connection} AS connection_id,
             count(*)::text AS calls,
             count(*) FILTER (WHERE c.answered_at IS NOT NULL OR c.connected_duration_seconds > 0)::text AS answered,
             count(*) FILTER (WHERE c.converted)::text AS converted,
             round(count(*) FILTER (WHERE c.answered_at IS NOT NULL OR c.connected_duration_seconds > 0)::numeric
                   / nullif(count(*), 0), 4)::text AS answer_rate,
             round(count(*) FILTER (WHERE c.converted)::numeric / nullif(count(*), 0), 4)::text AS conversion_rate,
             COALESCE(sum(c.duration_seconds), 0)::text AS duration_seconds,
             round(avg(c.duration_seconds), 2)::text AS avg_duration_seconds,
             COALESCE(sum(c.revenue), 0)::numeric(18,4)::text AS revenue,
             COALESCE(sum(c.payout), 0)::numeric(18,4)::text AS payout,
             COALESCE(sum(c.cost), 0)::numeric(18,4)::text AS cost,
             (COALESCE(sum(c.revenue), 0) - COALESCE(sum(c.payout), 0))::numeric(18,4)::text AS margin
      FROM calls c ${query.groupBy === 'connection' ? 'LEFT JOIN provider_connections pc ON pc.id = c.connection_id' : ''}
      WHERE ${where.join(' AND ')} AND $3::text IS NOT NULL
      GROUP BY ${GROUP_BY[query.groupBy]}
      ORDER BY ${query.groupBy === 'day' || query.groupBy === 'hour' ? GROUP_BY[query.groupBy] : 'count(*) DESC, key'}
      LIMIT 10000`;
    const { rows } = await this.pool.query<CallReportRow>(sql, params);
    return rows;
  }

  /** Whether PostgreSQL knows the time zone name (its list is the one buckets are computed with). */
  async isTimeZone(name: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM pg_timezone_names WHERE name = $1', [name]);
    return rows.length > 0;
  }
}
