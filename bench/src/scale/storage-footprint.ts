import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface TableFootprint {
  table: string;
  rows: number;
  /** heap + TOAST + indexes, per row */
  bytesPerRow: number;
  indexBytesPerRow: number;
}

/** Disk per row of the tables that grow with webhook traffic (partitions summed). */
export async function tableFootprints(sql: pg.Pool): Promise<TableFootprint[]> {
  const out: TableFootprint[] = [];
  for (const table of ['webhook_logs', 'call_events', 'calls', 'webhook_dedup_keys']) {
    const { rows } = await sql.query<{ total: string; indexes: string; n: string }>(
      `WITH parts AS (
         SELECT $1::regclass AS rel
         UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = $1::regclass)
       SELECT sum(pg_total_relation_size(rel)) AS total, sum(pg_indexes_size(rel)) AS indexes,
              (SELECT count(*) FROM ${table}) AS n
         FROM parts`,
      [table],
    );
    const n = Number(rows[0].n);
    out.push({
      table,
      rows: n,
      bytesPerRow: n ? Math.round(Number(rows[0].total) / n) : NaN,
      indexBytesPerRow: n ? Math.round(Number(rows[0].indexes) / n) : NaN,
    });
  }
  return out;
}

export interface RedisFootprint {
  /** one webhook job waiting in the queue (its hash and its place in the wait list) */
  bytesPerWaitingJob: number;
  waitingJobsSampled: number;
  /** one completed webhook job (the queue keeps the last 10,000 for a day) */
  bytesPerCompletedJob: number;
  /** one cached call (`cache:call:<id>`, 15 minutes) */
  bytesPerCachedCall: number;
  cachedCallsSampled: number;
  /** one entry of the live stream (`live:calls`, LIVE_STREAM_MAX_EVENTS kept) */
  bytesPerStreamEntry: number;
}

/** Redis memory per queued job, cached call and live-stream entry, from MEMORY USAGE of samples. */
export async function redisFootprint(redis: Redis, prefix: string, sql: pg.Pool): Promise<RedisFootprint> {
  const queue = `${prefix}:webhooks`;
  const waiting = await redis.lrange(`${queue}:wait`, 0, 199);
  const completed = await redis.zrange(`${queue}:completed`, 0, 199);
  const waitingBytes = await memoryOf(
    redis,
    waiting.map((id) => `${queue}:${id}`),
  );
  const completedBytes = await memoryOf(
    redis,
    completed.map((id) => `${queue}:${id}`),
  );
  // a list entry is the job id (36 bytes) plus a few bytes of list node
  const listEntry = waiting.length ? waiting[0].length + 10 : 0;
  const { rows } = await sql.query<{ id: string }>('SELECT id FROM calls ORDER BY random() LIMIT 200');
  const cacheBytes = await memoryOf(
    redis,
    rows.map((r) => `${prefix}:cache:call:${r.id}`),
  );
  const stream = `${prefix}:live:calls`;
  const [streamBytes, streamLength] = await Promise.all([
    redis.call('MEMORY', 'USAGE', stream, 'SAMPLES', '0') as Promise<number | null>,
    redis.xlen(stream),
  ]);
  return {
    bytesPerWaitingJob: waitingBytes.mean + listEntry,
    waitingJobsSampled: waitingBytes.n,
    bytesPerCompletedJob: completedBytes.mean,
    bytesPerCachedCall: cacheBytes.mean,
    cachedCallsSampled: cacheBytes.n,
    bytesPerStreamEntry: streamBytes && streamLength ? Math.round(streamBytes / streamLength) : NaN,
  };
}

async function memoryOf(redis: Redis, keys: string[]): Promise<{ mean: number; n: number }> {
  const sizes: number[] = [];
  for (const key of keys) {
    const bytes = (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
    if (bytes) sizes.push(bytes);
  }
  return {
    mean: sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) : NaN,
    n: sizes.length,
  };
}
