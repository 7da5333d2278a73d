import { Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { AppConfig, type RetentionConfig } from '@switchboard/config';
import { DatabasePool } from '@switchboard/persistence';
import {
  PARTITIONED_TABLES,
  addMonths,
  defaultPartitionName,
  isExpired,
  monthStart,
  monthsToPrepare,
  partitionMonth,
  partitionName,
  retentionCutoff,
  type PartitionedTable,
} from './partition-calendar.js';

/** What one retention run did. */
export interface RetentionReport {
  /** The run found another one in progress (an advisory lock) and did nothing. */
  skipped: boolean;
  created: string[];
  dropped: string[];
  /** Rows moved out of a DEFAULT partition into a partition created for their month. */
  movedFromDefault: number;
  /** DEFAULT-partition rows past their retention, deleted. */
  deletedFromDefault: number;
  dedupKeysDeleted: number;
  rawBodiesCleared: number;
}

/** pg_try_advisory_lock key of the retention run ("sbretain"). */
export const RETENTION_LOCK_KEY = 0x7362_7274;

/**
 * Width of one raw-body clearing statement (a bounded UPDATE, its own transaction): starts at 15
 * minutes, doubles over empty stretches (up to a week), halves when a window held many rows.
 */
const RAW_WINDOW_MS = { initial: 15 * 60_000, min: 60_000, max: 7 * 86_400_000 };
const RAW_ROWS_PER_WINDOW = 20_000;
/** maintenance_state row holding how far raw bodies are cleared. */
const RAW_WATERMARK = 'raw_payloads_cleared_until';
const DELETE_BATCH = 10_000;

const RETENTION_DAYS: Record<PartitionedTable, (r: RetentionConfig) => number> = {
  webhook_logs: (r) => r.webhookLogDays,
  call_events: (r) => r.callEventDays,
};

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Partitions and retention of webhook_logs and call_events (see
 * docs/decisions/0007-partitioned-logs-and-events.md): monthly partitions created MONTHS_AHEAD in
 * advance, whole months dropped once past WEBHOOK_LOG_RETENTION_DAYS / CALL_EVENT_RETENTION_DAYS,
 * DEFAULT partitions and dedup keys trimmed to the same bound, raw bodies cleared after
 * RAW_PAYLOAD_RETENTION_DAYS. Safe to call from any number of processes: one run at a time holds
 * an advisory lock, every DDL statement waits at most `lockTimeoutMs` for its lock (so it never
 * queues the ingress behind a long transaction), and every step is idempotent.
 */
@Injectable()
export class PartitionMaintenance {
  private readonly logger = new Logger('Retention');
  /** Upper bound on one run's raw-body clearing; the rest continues on the next run. */
  rawBudgetMs = 60_000;
  lockTimeoutMs = 5_000;

  constructor(
    private readonly pool: DatabasePool,
    private readonly config: AppConfig,
  ) {}

  async run(now = new Date(), retention: RetentionConfig = this.config.retention): Promise<RetentionReport> {
    const report: RetentionReport = {
      skipped: false,
      created: [],
      dropped: [],
      movedFromDefault: 0,
      deletedFromDefault: 0,
      dedupKeysDeleted: 0,
      rawBodiesCleared: 0,
    };
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        RETENTION_LOCK_KEY,
      ]);
      if (!rows[0]?.ok) return { ...report, skipped: true };
      try {
        for (const table of PARTITIONED_TABLES) {
          for (const month of monthsToPrepare(now)) {
            const moved = await this.ensurePartition(client, table, month);
            if (moved !== undefined) {
              report.created.push(partitionName(table, month));
              report.movedFromDefault += moved;
            }
          }
          const cutoff = retentionCutoff(now, RETENTION_DAYS[table](retention));
          if (cutoff === undefined) continue;
          report.dropped.push(...(await this.dropExpired(client, table, cutoff)));
          const deleted = await client.query(
            `DELETE FROM ${ident(defaultPartitionName(table))} WHERE created_at < $1`,
            [cutoff],
          );
          report.deletedFromDefault += deleted.rowCount ?? 0;
        }
        const logCutoff = retentionCutoff(now, retention.webhookLogDays);
        // Keys live as long as the rows that claimed them: the oldest month still kept starts here.
        if (logCutoff) report.dedupKeysDeleted = await this.deleteDedupKeys(client, monthStart(logCutoff));
        const rawCutoff = retentionCutoff(now, retention.rawPayloadDays);
        if (rawCutoff) report.rawBodiesCleared = await this.clearRawBodies(client, rawCutoff);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
      }
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
    if (
      report.created.length ||
      report.dropped.length ||
      report.deletedFromDefault ||
      report.rawBodiesCleared
    ) {
      this.logger.log(
        `retention: created ${report.created.join(', ') || 'no partition'}, dropped ${report.dropped.join(', ') || 'none'}, ` +
          `${report.movedFromDefault} row(s) moved out of DEFAULT, ${report.deletedFromDefault} expired DEFAULT row(s) deleted, ` +
          `${report.dedupKeysDeleted} dedup key(s) deleted, ${report.rawBodiesCleared} raw bod(ies) cleared`,
      );
    }
    return report;
  }

  /**
   * Creates the partition of `month` unless it exists; returns how many rows it took over from
   * the DEFAULT partition, or undefined when it already existed. Rows of that month that fell
   * into DEFAULT (no partition covered them then) move into the new partition in the same
   * transaction, since PostgreSQL refuses a partition whose rows DEFAULT still holds.
   */
  async ensurePartition(
    client: pg.PoolClient,
    table: PartitionedTable,
    month: Date,
  ): Promise<number | undefined> {
    const name = partitionName(table, month);
    const exists = await client.query(
      'SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace',
      [name],
    );
    if (exists.rowCount) return undefined;
    const from = month.toISOString();
    const to = addMonths(month, 1).toISOString();
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.floor(this.lockTimeoutMs)}`);
      await client.query(
        `CREATE TABLE ${ident(name)} (LIKE ${ident(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`,
      );
      const moved = await client.query(
        `WITH moved AS (
           DELETE FROM ${ident(defaultPartitionName(table))} WHERE created_at >= $1 AND created_at < $2 RETURNING *
         )
         INSERT INTO ${ident(name)} SELECT * FROM moved`,
        [from, to],
      );
      await client.query(
        `ALTER TABLE ${ident(table)} ATTACH PARTITION ${ident(name)} FOR VALUES FROM ('${from}') TO ('${to}')`,
      );
      await client.query('COMMIT');
      return moved.rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async dropExpired(client: pg.PoolClient, table: PartitionedTable, cutoff: Date): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
      [table],
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const month = partitionMonth(table, name);
      if (!month || !isExpired(month, cutoff)) continue;
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL lock_timeout = ${Math.floor(this.lockTimeoutMs)}`);
        await client.query(`DROP TABLE ${ident(name)}`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      dropped.push(name);
    }
    return dropped;
  }

  private async deleteDedupKeys(client: pg.PoolClient, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await client.query(
        `DELETE FROM webhook_dedup_keys WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM webhook_dedup_keys WHERE created_at < $1 LIMIT ${DELETE_BATCH}))`,
        [before],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < DELETE_BATCH) return total;
    }
  }

  /**
   * Clears raw_body of rows created before `cutoff`, window by window from where the last run
   * stopped (maintenance_state), so each run touches only rows that aged past the cutoff since.
   * The first run starts at the oldest partition.
   */
  private async clearRawBodies(client: pg.PoolClient, cutoff: Date): Promise<number> {
    const started = Date.now();
    const state = await client.query<{ until: string }>(
      `SELECT value->>'until' AS until FROM maintenance_state WHERE name = $1`,
      [RAW_WATERMARK],
    );
    const start = state.rows[0]?.until ? new Date(state.rows[0].until) : await this.oldestRowTime(client);
    if (!start) return 0;
    let from: Date = start;
    let cleared = 0;
    let width = RAW_WINDOW_MS.initial;
    while (from < cutoff && Date.now() - started < this.rawBudgetMs) {
      const to: Date = new Date(Math.min(from.getTime() + width, cutoff.getTime()));
      const result = await client.query(
        `UPDATE webhook_logs SET raw_body = NULL
          WHERE created_at >= $1 AND created_at < $2 AND raw_body IS NOT NULL`,
        [from, to],
      );
      const rows = result.rowCount ?? 0;
      cleared += rows;
      if (rows === 0) width = Math.min(width * 2, RAW_WINDOW_MS.max);
      else if (rows > RAW_ROWS_PER_WINDOW) width = Math.max(width / 2, RAW_WINDOW_MS.min);
      from = to;
      await client.query(
        `INSERT INTO maintenance_state (name, value, updated_at) VALUES ($1, jsonb_build_object('until', $2::text), now())
         ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [RAW_WATERMARK, from.toISOString()],
      );
    }
    return cleared;
  }

  /** Start of the oldest month partition, or of the oldest DEFAULT row when that is older. */
  private async oldestRowTime(client: pg.PoolClient): Promise<Date | undefined> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'webhook_logs'::regclass`,
    );
    const months = rows
      .map((r) => partitionMonth('webhook_logs', r.name))
      .filter((m): m is Date => m !== undefined)
      .map((m) => m.getTime());
    const fromDefault = await client.query<{ min: Date | null }>(
      `SELECT min(created_at) AS min FROM ${ident(defaultPartitionName('webhook_logs'))}`,
    );
    const candidates = [...months, ...(fromDefault.rows[0]?.min ? [fromDefault.rows[0].min.getTime()] : [])];
    return candidates.length ? new Date(Math.min(...candidates)) : undefined;
  }
}
