import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ProviderRegistry } from '@switchboard/core';
import { PrismaService } from '@switchboard/persistence/prisma';
import { QueueName } from '@switchboard/queue';
import type { Queue } from 'bullmq';

/** The window every overview figure covers. */
export const OVERVIEW_WINDOW_MINUTES = 60;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

export interface ConnectionActivity {
  connectionId: string;
  name: string;
  provider: string;
  mode: string;
  active: boolean;
  /** Webhook requests stored in the window (all outcomes). */
  received: number;
  /** Refused at the door: bad token/signature, address not allowed, malformed body. */
  rejected: number;
  processed: number;
  failed: number;
  /** Accepted but not processed yet (received or queued), whatever their age. */
  pending: number;
  /** Seconds from receipt to processing, over the rows processed in the window. */
  lagSeconds: { avg: number | null; max: number | null };
  lastReceivedAt: string | null;
  sync: {
    state: string;
    lastSuccessAt: string | null;
    lastRunAt: string | null;
    error: string | null;
  } | null;
}

export interface Overview {
  generatedAt: string;
  windowMinutes: number;
  connections: ConnectionActivity[];
  providers: Array<{
    provider: string;
    received: number;
    rejected: number;
    processed: number;
    failed: number;
  }>;
  queues: Array<Record<(typeof QUEUE_STATES)[number], number> & { name: string }> | null;
  /** Set when Redis could not be read; the other figures still come from PostgreSQL. */
  queuesError?: string;
  /** Per minute, oldest first: webhooks received and webhooks processed. */
  series: Array<{ minute: string; received: number; processed: number }>;
  plugins: {
    loaded: Array<{ provider: string; displayName: string; version: string }>;
    failed: Array<{ package: string; provider?: string; reason: string }>;
  };
}

interface ActivityRow {
  connection_id: string;
  name: string;
  provider: string;
  mode: string;
  is_active: boolean;
  received: number;
  rejected: number;
  processed: number;
  failed: number;
  pending: number;
  lag_avg: number | null;
  lag_max: number | null;
  last_received_at: Date | null;
  sync_state: string | null;
  sync_last_success: Date | null;
  sync_last_run: Date | null;
  sync_error: string | null;
}

/**
 * What the console's overview page shows (and any script can read): webhook traffic and lag per
 * connection over the last hour, queue depths, and which plugins loaded. Figures come from the
 * webhook inbox (webhook_logs), so they agree with GET /webhook-logs.
 */
@Injectable()
export class OverviewService {
  private readonly queues: Queue[];

  constructor(
    private readonly prisma: PrismaService,
    private readonly registry: ProviderRegistry,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    @InjectQueue(QueueName.Sync) sync: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    this.queues = [webhooks, sync, maintenance];
  }

  async overview(now = new Date()): Promise<Overview> {
    const since = new Date(now.getTime() - OVERVIEW_WINDOW_MINUTES * 60_000);
    const [rows, series, queues] = await Promise.all([
      this.activity(since),
      this.series(since, now),
      this.queueDepths(),
    ]);
    const connections = rows.map(toActivity);
    const providers = new Map<string, Overview['providers'][number]>();
    for (const c of connections) {
      const p = providers.get(c.provider) ?? {
        provider: c.provider,
        received: 0,
        rejected: 0,
        processed: 0,
        failed: 0,
      };
      p.received += c.received;
      p.rejected += c.rejected;
      p.processed += c.processed;
      p.failed += c.failed;
      providers.set(c.provider, p);
    }
    return {
      generatedAt: now.toISOString(),
      windowMinutes: OVERVIEW_WINDOW_MINUTES,
      connections,
      providers: [...providers.values()],
      ...queues,
      series,
      plugins: {
        loaded: this.registry.list().map(({ manifest }) => ({
          provider: manifest.provider,
          displayName: manifest.displayName,
          version: manifest.version,
        })),
        failed: this.registry
          .failed()
          .map((f) => ({ package: f.packageName, provider: f.provider, reason: f.reason })),
      },
    };
  }

  private activity(since: Date): Promise<ActivityRow[]> {
    return this.prisma.$queryRaw<ActivityRow[]>`
      SELECT c.id AS connection_id, c.name, c.provider_type AS provider, c.mode::text AS mode, c.is_active,
             coalesce(w.received, 0)::int AS received, coalesce(w.rejected, 0)::int AS rejected,
             coalesce(w.processed, 0)::int AS processed, coalesce(w.failed, 0)::int AS failed,
             coalesce(p.pending, 0)::int AS pending,
             w.lag_avg::float8 AS lag_avg, w.lag_max::float8 AS lag_max, w.last_received_at,
             s.state::text AS sync_state, s.last_successful_sync_at AS sync_last_success,
             s.last_sync_at AS sync_last_run, s.error AS sync_error
      FROM provider_connections c
      LEFT JOIN LATERAL (
        SELECT count(*) AS received,
               count(*) FILTER (WHERE status = 'rejected') AS rejected,
               count(*) FILTER (WHERE status = 'processed') AS processed,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               avg(extract(epoch FROM processed_at - received_at)) FILTER (WHERE status = 'processed') AS lag_avg,
               max(extract(epoch FROM processed_at - received_at)) FILTER (WHERE status = 'processed') AS lag_max,
               max(received_at) AS last_received_at
        FROM webhook_logs WHERE connection_id = c.id AND created_at >= ${since}
      ) w ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS pending FROM webhook_logs
        WHERE connection_id = c.id AND status IN ('received', 'queued')
      ) p ON true
      LEFT JOIN LATERAL (
        SELECT state, last_successful_sync_at, last_sync_at, error FROM sync_status
        WHERE connection_id = c.id AND kind = 'incremental' ORDER BY updated_at DESC LIMIT 1
      ) s ON true
      ORDER BY c.provider_type, c.name`;
  }

  private async series(since: Date, now: Date): Promise<Overview['series']> {
    // Two grouped scans of the window instead of one count per minute.
    const rows = await this.prisma.$queryRaw<Array<{ minute: Date; received: number; processed: number }>>`
      SELECT minute, sum(received)::int AS received, sum(processed)::int AS processed FROM (
        SELECT date_trunc('minute', created_at) AS minute, 1 AS received, 0 AS processed
        FROM webhook_logs WHERE created_at >= ${since}
        UNION ALL
        SELECT date_trunc('minute', processed_at), 0, 1
        FROM webhook_logs WHERE processed_at >= ${since} AND created_at >= ${since}::timestamptz - interval '1 day'
      ) t GROUP BY minute`;
    const byMinute = new Map(rows.map((r) => [r.minute.getTime(), r]));
    const series: Overview['series'] = [];
    const last = Math.floor(now.getTime() / 60_000) * 60_000;
    for (let t = last - (OVERVIEW_WINDOW_MINUTES - 1) * 60_000; t <= last; t += 60_000) {
      const row = byMinute.get(t);
      series.push({
        minute: new Date(t).toISOString(),
        received: row?.received ?? 0,
        processed: row?.processed ?? 0,
      });
    }
    return series;
  }

  private async queueDepths(): Promise<Pick<Overview, 'queues' | 'queuesError'>> {
    try {
      const queues = await Promise.all(
        this.queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          const row = { name: queue.name } as Record<(typeof QUEUE_STATES)[number], number> & {
            name: string;
          };
          for (const state of QUEUE_STATES) row[state] = counts[state] ?? 0;
          return row;
        }),
      );
      return { queues };
    } catch (error) {
      return { queues: null, queuesError: `queue depths unavailable: ${(error as Error).message}` };
    }
  }
}

function toActivity(r: ActivityRow): ConnectionActivity {
  return {
    connectionId: r.connection_id,
    name: r.name,
    provider: r.provider,
    mode: r.mode,
    active: r.is_active,
    received: r.received,
    rejected: r.rejected,
    processed: r.processed,
    failed: r.failed,
    pending: r.pending,
    lagSeconds: { avg: round(r.lag_avg), max: round(r.lag_max) },
    lastReceivedAt: r.last_received_at?.toISOString() ?? null,
    sync: r.sync_state
      ? {
          state: r.sync_state,
          lastSuccessAt: r.sync_last_success?.toISOString() ?? null,
          lastRunAt: r.sync_last_run?.toISOString() ?? null,
          error: r.sync_error,
        }
      : null,
  };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}
