import type pg from 'pg';

/** Rows the ingress acknowledged (everything but refusals and shadow/duplicate audit rows). */
const ACCEPTED = `status IN ('received', 'queued', 'processed', 'failed')`;

/** What the database says happened between two moments. */
export interface EventWindow {
  /** rows written by the ingress in the window */
  accepted: number;
  /** rows the workers stored (processed_at) in the window */
  processed: number;
  /** acknowledged and not yet processed, at the start and at the end */
  backlogAtStart: number;
  backlogAtEnd: number;
  /** received -> processed, of the rows received in the window that are processed by now */
  endToEndP50Ms: number;
  endToEndP99Ms: number;
  /**
   * webhooks per ingress INSERT and events per worker transaction (rows sharing a transaction's
   * now(): created_at, processed_at): batching is what makes a busy process cheaper per event
   */
  rowsPerInsert: number;
  eventsPerBatch: number;
}

export interface LedgerCheck {
  acknowledged: number;
  /** acknowledged with a 2xx and not in webhook_logs: must be 0 */
  missing: number;
  /** acknowledged, stored, and not processed (after the drain) */
  unprocessed: number;
  failed: number;
  /** processed after more than one attempt (a retryable failure on the way) */
  retried: number;
  /** call_events rows of the acknowledged webhooks: one each */
  callEvents: number;
  /** webhooks with more than one call_events row: must be 0 */
  eventsStoredTwice: number;
  /** event ids (dedup keys) with more than one acknowledged row: must be 0 */
  acceptedTwice: number;
  calls: number;
}

/**
 * Reads the bench database after the fact: throughput, backlog and latency are computed from the
 * rows' own timestamps (received_at is the ingress's INSERT, processed_at the worker's commit), so
 * nothing polls the database while CPU is being measured.
 */
export class EventLedger {
  constructor(private readonly sql: pg.Pool) {}

  async reset(): Promise<void> {
    await this.sql.query('TRUNCATE webhook_logs, webhook_dedup_keys, call_events, calls CASCADE');
  }

  async window(from: number, to: number): Promise<EventWindow> {
    const { rows } = await this.sql.query<{
      accepted: string;
      processed: string;
      backlog_start: string;
      backlog_end: string;
      p50: number | null;
      p99: number | null;
      inserts: string;
      batches: string;
    }>(
      `SELECT count(*) FILTER (WHERE received_at >= $1 AND received_at < $2) AS accepted,
              count(*) FILTER (WHERE processed_at >= $1 AND processed_at < $2) AS processed,
              count(*) FILTER (WHERE received_at < $1 AND (processed_at IS NULL OR processed_at >= $1)) AS backlog_start,
              count(*) FILTER (WHERE received_at < $2 AND (processed_at IS NULL OR processed_at >= $2)) AS backlog_end,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at))
                FILTER (WHERE received_at >= $1 AND received_at < $2 AND processed_at IS NOT NULL) * 1000 AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at))
                FILTER (WHERE received_at >= $1 AND received_at < $2 AND processed_at IS NOT NULL) * 1000 AS p99,
              count(DISTINCT created_at) FILTER (WHERE received_at >= $1 AND received_at < $2) AS inserts,
              count(DISTINCT processed_at) FILTER (WHERE processed_at >= $1 AND processed_at < $2) AS batches
         FROM webhook_logs WHERE ${ACCEPTED}`,
      [new Date(from), new Date(to)],
    );
    const r = rows[0];
    return {
      accepted: Number(r.accepted),
      processed: Number(r.processed),
      backlogAtStart: Number(r.backlog_start),
      backlogAtEnd: Number(r.backlog_end),
      endToEndP50Ms: r.p50 === null ? NaN : Math.round(r.p50),
      endToEndP99Ms: r.p99 === null ? NaN : Math.round(r.p99),
      rowsPerInsert: ratio(Number(r.accepted), Number(r.inserts)),
      eventsPerBatch: ratio(Number(r.processed), Number(r.batches)),
    };
  }

  /** Acknowledged rows not processed yet (received or queued). */
  async backlog(): Promise<number> {
    const { rows } = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM webhook_logs WHERE status IN ('received', 'queued')`,
    );
    return Number(rows[0].n);
  }

  /** Waits until nothing acknowledged is waiting, or until `deadline`; returns when the last row was stored. */
  async drain(deadline: number): Promise<{ drained: boolean; remaining: number; lastProcessedAt: number }> {
    let remaining = await this.backlog();
    while (remaining > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      remaining = await this.backlog();
    }
    const { rows } = await this.sql.query<{ last: Date | null }>(
      'SELECT max(processed_at) AS last FROM webhook_logs',
    );
    return { drained: remaining === 0, remaining, lastProcessedAt: rows[0].last?.getTime() ?? Date.now() };
  }

  async check(acknowledgedIds: readonly string[]): Promise<LedgerCheck> {
    const ids = [...new Set(acknowledgedIds)];
    const { rows } = await this.sql.query<{
      stored: string;
      processed: string;
      failed: string;
      retried: string;
      events: string;
    }>(
      `SELECT count(*) AS stored,
              count(*) FILTER (WHERE w.status = 'processed') AS processed,
              count(*) FILTER (WHERE w.status = 'failed') AS failed,
              count(*) FILTER (WHERE w.attempts > 1) AS retried,
              (SELECT count(*) FROM call_events WHERE webhook_log_id = ANY($1::uuid[])) AS events
         FROM webhook_logs w WHERE w.id = ANY($1::uuid[])`,
      [ids],
    );
    const { rows: twice } = await this.sql.query<{ events: string; keys: string; calls: string }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM call_events WHERE webhook_log_id IS NOT NULL
                 GROUP BY webhook_log_id HAVING count(*) > 1) e) AS events,
              (SELECT count(*) FROM (SELECT 1 FROM webhook_logs WHERE dedup_key IS NOT NULL AND ${ACCEPTED}
                 GROUP BY dedup_key HAVING count(*) > 1) k) AS keys,
              (SELECT count(*) FROM calls) AS calls`,
    );
    const stored = Number(rows[0].stored);
    return {
      acknowledged: ids.length,
      missing: ids.length - stored,
      unprocessed: stored - Number(rows[0].processed) - Number(rows[0].failed),
      failed: Number(rows[0].failed),
      retried: Number(rows[0].retried),
      callEvents: Number(rows[0].events),
      eventsStoredTwice: Number(twice[0].events),
      acceptedTwice: Number(twice[0].keys),
      calls: Number(twice[0].calls),
    };
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? Number((a / b).toFixed(1)) : NaN;
}
