import type pg from 'pg';
import { driveLoad } from './webhook-load.js';
import { WebhookTraffic, type ScaleConnection } from './webhook-traffic.js';

export interface RateLimitCheck {
  limitPerSecond: number;
  apiProcesses: number;
  seconds: number;
  accepted: number;
  rateLimited: number;
  /** admitted rows per whole clock second (by the rows' received_at), busiest and mean */
  busiestSecond: number;
  meanPerSecond: number;
  /** the busiest second stayed within the limit (+5% for a lease granted at a second's edge) */
  shared: boolean;
}

/**
 * One connection with a low per-connection limit, flooded through every api process at once: if
 * the processes share the limit (through Redis), the connection gets `limit` webhooks a second in
 * all, not `limit` per process.
 */
export async function checkSharedRateLimit(options: {
  sql: pg.Pool;
  apiUrls: readonly string[];
  connection: ScaleConnection;
  limitPerSecond: number;
  seconds: number;
}): Promise<{ figures: RateLimitCheck; acceptedIds: string[] }> {
  const load = await driveLoad({
    apiUrls: options.apiUrls,
    traffic: new WebhookTraffic([options.connection], 50),
    seconds: options.seconds,
    connections: 10 * options.apiUrls.length,
  });
  const { rows } = await options.sql.query<{ second: Date; n: string }>(
    `SELECT date_trunc('second', received_at) AS second, count(*) AS n FROM webhook_logs
      WHERE connection_id = $1 AND status IN ('received', 'queued', 'processed', 'failed')
      GROUP BY 1 ORDER BY 1`,
    [options.connection.id],
  );
  // the first and last seconds are partial
  const whole = rows.slice(1, -1).map((r) => Number(r.n));
  const busiest = Math.max(0, ...whole);
  const figures = {
    limitPerSecond: options.limitPerSecond,
    apiProcesses: options.apiUrls.length,
    seconds: options.seconds,
    accepted: load.accepted,
    rateLimited: load.rateLimited,
    busiestSecond: busiest,
    meanPerSecond: whole.length ? Math.round(whole.reduce((a, b) => a + b, 0) / whole.length) : NaN,
    shared: whole.length > 0 && busiest <= options.limitPerSecond * 1.05,
  };
  return { figures, acceptedIds: load.acceptedIds };
}
