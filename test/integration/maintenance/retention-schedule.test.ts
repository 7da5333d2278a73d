import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { discoverPlugins, type DiscoveryResult } from '@switchboard/core';
import {
  MaintenanceTasks,
  PartitionMaintenance,
  addMonths,
  monthStart,
  partitionName,
} from '@switchboard/maintenance';
import { DatabasePool } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { createWorkerApp } from '../../../apps/worker/src/worker-app.js';
import { testConfig } from '../../support/app-config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { uniqueRedisPrefix } from '../../support/redis.js';
import { redisConnection, ROOT } from '../pipeline/pipeline-harness.js';

/**
 * Retention on the maintenance queue, with two real worker applications: the `retention` job
 * scheduler drops partitions past their retention and keeps recent ones, clears raw bodies past
 * RAW_PAYLOAD_RETENTION_DAYS, trims dedup keys; and every tick of a scheduled task runs once,
 * on one worker, however many workers there are.
 */
const DAY = 86_400_000;
const RETENTION_ENV = {
  WEBHOOK_LOG_RETENTION_DAYS: '60',
  CALL_EVENT_RETENTION_DAYS: '60',
  RAW_PAYLOAD_RETENTION_DAYS: '10',
};

let db: TestDatabase;
let sql: pg.Pool;
let prefix: string;
let discovery: DiscoveryResult;
let queue: Queue;
const workers: NestFastifyApplication[] = [];

async function count(query: string, params: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(query, params);
  return Number(rows[0].n);
}

async function tableExists(name: string): Promise<boolean> {
  return (await count('SELECT count(*) AS n FROM pg_class WHERE relname = $1', [name])) === 1;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new pg.Pool({ connectionString: db.url, max: 4 });
  prefix = uniqueRedisPrefix('maint');
  discovery = await discoverPlugins({ rootDir: ROOT });
  queue = new Queue(QueueName.Maintenance, { connection: redisConnection(), prefix });
}, 60_000);

afterAll(async () => {
  for (const app of workers) await app.close().catch(() => undefined);
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await sql?.end();
  await db?.drop();
}, 60_000);

async function startWorker(): Promise<NestFastifyApplication> {
  const config = testConfig({
    DATABASE_URL: db.url,
    REDIS_PREFIX: prefix,
    WORKER_PORT: '0',
    ...RETENTION_ENV,
  });
  const app = await createWorkerApp(config, discovery, {
    maintenance: { retentionEveryMs: 500, inboxSweepEveryMs: 300 },
  });
  await app.init();
  workers.push(app);
  return app;
}

describe('maintenance queue: retention on partitions, one run per tick (real PostgreSQL, Redis, two workers)', () => {
  const now = new Date();
  const oldMonth = addMonths(monthStart(now), -4); // past the 60-day retention, whole month
  const recentMonth = addMonths(monthStart(now), -1); // within it (partly)
  const oldTime = new Date(oldMonth.getTime() + 10 * DAY);
  const rawExpired = new Date(now.getTime() - 20 * DAY); // past raw retention, within row retention
  const fresh = new Date(now.getTime() - 2 * DAY);
  const ids = { old: randomUUID(), rawExpired: randomUUID(), fresh: randomUUID() };

  it('drops the expired partitions, keeps recent rows, clears old raw bodies, on its schedule', async () => {
    const { rows: conns } = await sql.query<{ id: string }>(
      `INSERT INTO provider_connections (provider_type, name, credentials, key_id) VALUES ('ringba', 'retention', 'x', 'k1') RETURNING id`,
    );
    const conn = conns[0].id;
    const { rows: calls } = await sql.query<{ id: string }>(
      `INSERT INTO calls (connection_id, provider, external_id, last_event_at) VALUES ($1, 'ringba', 'R1', now()) RETURNING id`,
      [conn],
    );
    // Rows of months that have no partition in this (freshly migrated) database land in DEFAULT.
    for (const [id, at] of [
      [ids.old, oldTime],
      [ids.rawExpired, rawExpired],
      [ids.fresh, fresh],
    ] as const) {
      await sql.query(
        `INSERT INTO webhook_logs (id, connection_id, provider, dedup_key, method, verification, status, http_status, raw_body, created_at)
         VALUES ($1, $2, 'ringba', $4, 'POST', 'verified', 'processed', 202, '\\x7b7d', $3)`,
        [id, conn, at, `${conn}:${id}`],
      );
      await sql.query(
        `INSERT INTO webhook_dedup_keys (dedup_key, webhook_log_id, created_at) VALUES ($2, $1, $3)`,
        [id, `${conn}:${id}`, at],
      );
      await sql.query(
        `INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, created_at)
         VALUES ($1, $2, $3, 'webhook', 'call.completed', $4, $4)`,
        [calls[0].id, conn, id, at],
      );
    }
    // Months of operation before today: partitions for the old and the recent month, created the
    // way the job creates them (rows of their month move out of DEFAULT).
    // (Before any worker runs: a worker's retention job runs as soon as it starts.)
    const pool = new DatabasePool(db.url, 2);
    const maintenance = new PartitionMaintenance(
      pool,
      testConfig({ DATABASE_URL: db.url, ...RETENTION_ENV }),
    );
    const client = await pool.connect();
    try {
      for (const month of [oldMonth, recentMonth]) {
        await maintenance.ensurePartition(client, 'webhook_logs', month);
        await maintenance.ensurePartition(client, 'call_events', month);
      }
    } finally {
      client.release();
      await pool.end();
    }
    const oldLogs = partitionName('webhook_logs', oldMonth);
    const oldEvents = partitionName('call_events', oldMonth);
    expect(await count(`SELECT count(*) AS n FROM ${oldLogs}`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM ${oldEvents}`)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM webhook_logs_default WHERE id = $1', [ids.old])).toBe(0);
    await startWorker();

    // The scheduled run (every 500 ms here, hourly by default) does the rest.
    await waitFor(
      async () => !(await tableExists(oldLogs)) && !(await tableExists(oldEvents)),
      20_000,
      'old partitions dropped',
    );
    await waitFor(
      async () => (await count('SELECT count(*) AS n FROM webhook_logs WHERE raw_body IS NULL')) === 1,
      20_000,
      'raw bodies cleared',
    );

    const { rows: logs } = await sql.query<{ id: string; raw: boolean }>(
      'SELECT id, raw_body IS NOT NULL AS raw FROM webhook_logs ORDER BY created_at',
    );
    expect(logs).toEqual([
      { id: ids.rawExpired, raw: false },
      { id: ids.fresh, raw: true },
    ]);
    expect(await count('SELECT count(*) AS n FROM call_events')).toBe(2);
    expect(await tableExists(partitionName('webhook_logs', recentMonth))).toBe(true);
    expect(await tableExists(partitionName('webhook_logs', addMonths(monthStart(now), 3)))).toBe(true);
    const { rows: keys } = await sql.query<{ webhook_log_id: string }>(
      'SELECT webhook_log_id FROM webhook_dedup_keys ORDER BY created_at',
    );
    expect(keys.map((k) => k.webhook_log_id)).toEqual([ids.rawExpired, ids.fresh]);
  }, 60_000);

  it('runs each tick of a scheduled task once, whichever of two workers takes it', async () => {
    while (workers.length < 2) await startWorker();
    const runs: Array<{ worker: number; jobId: string }> = [];
    workers.forEach((app, worker) =>
      app.get(MaintenanceTasks).register({
        name: 'probe',
        everyMs: 200,
        run: async ({ jobId }) => {
          runs.push({ worker, jobId });
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      }),
    );
    const started = Date.now();
    // What every worker does at start for its tasks (here both have started already).
    await queue.upsertJobScheduler('probe', { every: 200 }, { name: 'probe' });
    await waitFor(async () => runs.length >= 12, 20_000, 'a dozen probe runs');
    await queue.removeJobScheduler('probe');
    const elapsed = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));

    const jobIds = runs.map((r) => r.jobId);
    expect(new Set(jobIds).size).toBe(jobIds.length); // no tick ran twice
    // One run per tick, not one per worker per tick.
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    // The built-in tasks ran on their schedules too, each job once.
    const completed = await queue.getJobs(['completed'], 0, -1);
    const retention = completed.filter((j) => j.name === 'retention');
    const sweeps = completed.filter((j) => j.name === 'inbox-sweep');
    expect(retention.length).toBeGreaterThan(0);
    expect(sweeps.length).toBeGreaterThan(0);
    expect(new Set(completed.map((j) => j.id)).size).toBe(completed.length);
    for (const job of completed) expect(job.attemptsMade).toBeLessThanOrEqual(1);
  }, 60_000);
});
