// `npm run bench:pipeline`: the webhook processing pipeline end to end, against the fastest plain
// equivalent on the same machine in the same run.
//
// 1. Loads N accepted webhook rows (default 100,000) for three connections (Ringba, Retreaver,
//    TrackDrive), rendered from each plugin's own webhook templates: the events of overlapping calls,
//    shuffled (events of one call arrive out of order) and about 10% delivered twice.
// 2. Starts the worker as a child process (apps/worker/dist/main.js) and times it draining the
//    queue: events/s and calls/s from the first stored row to the last, and its peak RSS (VmHWM).
// 3. Times two raw multi-row INSERT ... ON CONFLICT baselines of the same final rows (unnest, 1,000
//    rows a statement, prepared; best of three, before and again after the worker run; the ratios use
//    the mean): into a copy of `calls` with all its indexes and jsonb columns, and into a plain calls
//    table (the scalar columns, only the (connection_id, external_id) key).
// 4. Checks the worker's table equals the in-order result (the merge rule folded oldest first).
// Also measures CPU per event: the worker process, the PostgreSQL backends of the benchmark's
// database (per-process /proc stat, sampled while the worker drains) and the Redis server (shared).
// Prints the figures and writes them to bench/out/pipeline-<timestamp>.json.
//
// Environment: BENCH_ROWS, BENCH_ROWS_PER_JOB, BENCH_DUPLICATE_RATE, BENCH_SEED, TEST_DATABASE_URL / TEST_REDIS_URL
// (admin URLs, as the tests use), and any worker variable (WORKER_CONCURRENCY, WORKER_BATCH_SIZE...).
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '@switchboard/config';
import { ConnectionAdapters, ConnectionService } from '@switchboard/connections';
import { discoverPlugins, type CallTrackingProvider } from '@switchboard/core';
import { assignWebhookJobs, webhookJobsFor } from '@switchboard/ingress';
import { WebhookInboxRepository, migrate, type InboxRow } from '@switchboard/persistence';
import { PlatformModule } from '@switchboard/platform';
import {
  MAP_FIELDS,
  SCALAR_FIELDS,
  comparableReference,
  comparableRow,
  referenceFold,
  toCallEventRow,
  type CallEventRow,
  type ReferenceCall,
} from '@switchboard/pipeline';
import { QueueName } from '@switchboard/queue';
import { WORKER_THROUGHPUT_ENV, workerNodeArgs } from '../common/worker-settings.js';
import {
  acceptedInboxRow,
  callWebhooks,
  newCallSpec,
  seededRandom,
  toInbound,
  type RenderedWebhook,
} from './webhook-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WORKER = path.join(ROOT, 'apps/worker/dist/main.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DUPLICATE_RATE = Number(process.env.BENCH_DUPLICATE_RATE ?? 0.1);
const SEED = Number(process.env.BENCH_SEED ?? 20261124);
/**
 * Rows per webhook job, as the ingress batches them (decision 0019): one job per INSERT batch. The
 * api wrote 8.9–13.4 rows per INSERT when saturated in bench:scale (bench/RESULTS.md); 10 is the
 * conservative middle. 1 = a job per row (what the relay and replay add).
 */
const ROWS_PER_JOB = Math.max(1, Number(process.env.BENCH_ROWS_PER_JOB ?? 10));
const PROVIDERS = ['ringba', 'retreaver', 'trackdrive'];
const CREDENTIALS: Record<string, Record<string, string>> = {
  ringba: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
  retreaver: { apiKey: 'retreaver-api-key', companyId: '1234' },
  trackdrive: { subdomain: 'acme', publicKey: 'public-key', privateKey: 'private-key' },
};
/** The recommended throughput settings (bench/src/common/worker-settings.ts), and quiet logs. */
const WORKER_ENV: Record<string, string> = {
  ...WORKER_THROUGHPUT_ENV,
  LOG_LEVEL: 'info',
  LOG_REQUESTS: 'false',
};

interface Connection {
  id: string;
  provider: string;
  adapter: CallTrackingProvider;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const dbName = `sb_bench_pipeline_${randomBytes(4).toString('hex')}`;
  const dbUrl = withDatabase(ADMIN_URL, dbName);
  const prefix = `sbbench-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    // BENCH_ENCRYPTION_KEYS lets a kept database (BENCH_KEEP_DB) be opened again by other tools.
    ENCRYPTION_KEYS: process.env.BENCH_ENCRYPTION_KEYS ?? `k1:${randomBytes(32).toString('base64')}`,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    WORKER_PORT: '0',
  };
  for (const key of Object.keys(WORKER_ENV)) env[key] = process.env[key] ?? WORKER_ENV[key];
  for (const key of ['WORKER_LOCK_DURATION_MS', 'WORKER_STALLED_INTERVAL_MS', 'WEBHOOK_MAX_ATTEMPTS']) {
    if (process.env[key]) env[key] = process.env[key] as string;
  }
  // Node flags for the worker: the documented production setting by default (docs/pipeline.md,
  // "Memory"). BENCH_WORKER_NODE_ARGS="" runs without them; "--cpu-prof" profiles.
  const nodeArgs = workerNodeArgs();

  log(
    `pipeline benchmark: ${ROWS} webhook rows, ${Math.round(DUPLICATE_RATE * 100)}% repeated deliveries, seed ${SEED}`,
  );
  log(
    `worker: node ${nodeArgs.join(' ') || '(no flags)'}, ${Object.keys(WORKER_ENV)
      .map((k) => `${k}=${env[k]}`)
      .join(' ')}`,
  );
  log(
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  await migrate({
    databaseUrl: dbUrl,
    migrationsDir: path.join(ROOT, 'prisma/migrations'),
    createDatabase: true,
  });
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const discovery = await discoverPlugins({ rootDir: ROOT });
  const app = await NestFactory.createApplicationContext(
    PlatformModule.forRoot({ config, discovery, logging: false }),
    {
      logger: ['error'],
    },
  );
  const queue = new Queue(QueueName.Webhooks, { connection: redisOptions(REDIS_URL), prefix });
  const sql = new pg.Pool({ connectionString: dbUrl, max: 4 });
  let worker: ReturnType<typeof spawn> | undefined;

  try {
    // --- 1. webhooks: rendered from the plugins' templates, shuffled, some delivered twice
    const connections: Connection[] = [];
    for (const provider of PROVIDERS) {
      const { connection } = await app
        .get(ConnectionService)
        .create({ provider, name: `${provider} bench`, credentials: CREDENTIALS[provider], validate: false });
      // The bench only renders and maps webhooks, which all three plugins implement.
      const { capable } = await app.get(ConnectionAdapters).forId(connection.id);
      const adapter = capable('webhooks', 'bench webhooks') as CallTrackingProvider;
      connections.push({ id: connection.id, provider, adapter });
    }
    const random = seededRandom(SEED);
    const generated = generate(connections, random);
    const rows = generated.deliveries;
    log(
      `generated ${rows.length} deliveries of ${generated.unique} distinct webhooks for ${generated.calls} calls`,
    );

    // --- the plain equivalent: the same final rows, multi-row upserts (again after the worker run,
    // since other load on a shared machine moves both numbers)
    const rawBefore = await rawUpsert(sql, [...generated.expected.values()], CALLS_COPY);
    const plainBefore = await rawUpsert(sql, [...generated.expected.values()], PLAIN_CALLS);
    log(
      `raw multi-row INSERT .. ON CONFLICT of the ${generated.expected.size} final rows: ${Math.round(rawBefore.rowsPerSecond)} rows/s ` +
        `into a copy of calls, ${Math.round(plainBefore.rowsPerSecond)} rows/s into a plain calls table`,
    );

    const expected = generated.expected;
    const startLoad = Date.now();
    const inbox = app.get(WebhookInboxRepository);
    // As the ingress does: the rows of one INSERT batch get one job, its id written with them.
    const batches: InboxRow[][] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_JOB) {
      const batch = rows.slice(i, i + ROWS_PER_JOB).map((r) => r.row);
      assignWebhookJobs(batch);
      batches.push(batch);
    }
    for (let i = 0; i < rows.length; i += 1000)
      await inbox.insertMany(rows.slice(i, i + 1000).map((r) => r.row));
    const jobs = batches.flatMap((batch) => webhookJobsFor(batch, config.webhook.maxAttempts));
    for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
    log(
      `loaded ${rows.length} inbox rows in ${jobs.length} jobs (${ROWS_PER_JOB} rows a job) in ${seconds(Date.now() - startLoad)} s`,
    );

    // --- 2. the worker drains the queue
    worker = spawn(process.execPath, [...nodeArgs, WORKER], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let workerOutput = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        workerOutput += chunk.toString();
        if (workerOutput.includes('Switchboard worker running')) resolve();
      };
      worker?.stdout?.on('data', onData);
      worker?.stderr?.on('data', onData);
      worker?.on('exit', (code) =>
        reject(new Error(`worker exited (${code}):\n${workerOutput.slice(-2000)}`)),
      );
    });
    await ready;
    const pid = worker.pid as number;
    const redisPid = await redisServerPid(queue);
    const cpuAtStart = { machine: machineTicks(), worker: processTicks(pid), redis: processTicks(redisPid) };
    const backends = new BackendCpu(sql, dbName);
    await backends.sample();
    let peakRss = 0;
    let polls = 0;
    // Watch the queue, not the table: a count over webhook_logs every 100 ms would itself cost the
    // database a share of the CPU the worker is being measured with.
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      peakRss = Math.max(peakRss, vmHwmKb(pid));
      if (Object.values(counts).every((n) => n === 0)) break;
      // Backends come and go with the worker's pool: look them up every half second.
      if (++polls % 5 === 0) await backends.sample();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await backends.sample();
    // Exact bounds from the rows themselves (the poll above only decides when to stop).
    const { rows: span } = await sql.query<{ first: Date; last: Date; failed: string; processed: string }>(
      `SELECT min(processed_at) AS first, max(processed_at) AS last, count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'processed') AS processed FROM webhook_logs`,
    );
    if (Number(span[0].processed) + Number(span[0].failed) !== rows.length) {
      throw new Error(`queue drained but only ${span[0].processed} of ${rows.length} rows are processed`);
    }
    const drainMs = span[0].last.getTime() - span[0].first.getTime();
    peakRss = Math.max(peakRss, vmHwmKb(pid));
    const machineEnd = machineTicks();
    const workerCpuMs = (processTicks(pid) - cpuAtStart.worker) * 10; // clock ticks are 10 ms
    const postgresCpuMs = backends.ticks() * 10;
    const redisCpuMs = (processTicks(redisPid) - cpuAtStart.redis) * 10;
    const idleShare =
      (machineEnd.idle - cpuAtStart.machine.idle) / (machineEnd.total - cpuAtStart.machine.total);
    // Stop the worker before the baseline runs, so the two never share the machine.
    const exited = new Promise((resolve) => worker?.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
    const eventsPerSecond = rows.length / (drainMs / 1000);
    const callsPerSecond = generated.calls / (drainMs / 1000);
    log(
      `worker: ${rows.length} events -> ${generated.calls} calls in ${seconds(drainMs)} s = ${Math.round(eventsPerSecond)} events/s, ` +
        `${Math.round(callsPerSecond)} calls/s; peak RSS ${Math.round(peakRss / 1024)} MB; failed rows ${span[0].failed}`,
    );
    const workerCpuUsPerEvent = (workerCpuMs * 1000) / rows.length;
    const postgresCpuUsPerEvent = (postgresCpuMs * 1000) / rows.length;
    const redisCpuUsPerEvent = (redisCpuMs * 1000) / rows.length;
    log(
      `CPU per event: worker ${Math.round(workerCpuUsPerEvent)} us, PostgreSQL backends ${Math.round(postgresCpuUsPerEvent)} us ` +
        `(${backends.count} processes), Redis server ${Math.round(redisCpuUsPerEvent)} us (shared with other users); ` +
        `machine idle during the run ${(idleShare * 100).toFixed(0)}% of ${os.cpus().length} CPUs, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const rawAfter = await rawUpsert(sql, [...expected.values()], CALLS_COPY);
    const plainAfter = await rawUpsert(sql, [...expected.values()], PLAIN_CALLS);
    log(
      `raw multi-row INSERT .. ON CONFLICT again, after the worker: ${Math.round(rawAfter.rowsPerSecond)} rows/s ` +
        `into a copy of calls, ${Math.round(plainAfter.rowsPerSecond)} rows/s into a plain calls table`,
    );
    const rawRowsPerSecond = (rawBefore.rowsPerSecond + rawAfter.rowsPerSecond) / 2;
    const plainRowsPerSecond = (plainBefore.rowsPerSecond + plainAfter.rowsPerSecond) / 2;

    // --- 3. the worker's table is the in-order result
    const { rows: stored } = await sql.query('SELECT * FROM calls');
    let mismatches = 0;
    const byKey = new Map(stored.map((r) => [`${r.connection_id}|${r.external_id}`, r]));
    for (const [key, call] of expected) {
      const row = byKey.get(key);
      if (!row || canonical(comparableRow(row)) !== canonical(comparableReference(call))) {
        if (mismatches++ < 3)
          log(
            `mismatch ${key}:\n  db:    ${JSON.stringify(row && comparableRow(row))}\n  model: ${JSON.stringify(comparableReference(call))}`,
          );
      }
    }
    const events = Number((await sql.query('SELECT count(*) AS n FROM call_events')).rows[0].n);
    const identical = mismatches === 0 && stored.length === expected.size && events === rows.length;
    log(
      `final table identical to the in-order result: ${identical ? 'yes' : 'NO'} (${stored.length} calls, ${events} call_events, ${mismatches} mismatches)`,
    );

    const ratio = eventsPerSecond / rawRowsPerSecond;
    const plainRatio = eventsPerSecond / plainRowsPerSecond;
    log(
      `ratio vs the calls copy (worker events/s / mean raw upsert rows/s): ${ratio.toFixed(3)}  [target >= 0.08] ` +
        `(${(eventsPerSecond / rawBefore.rowsPerSecond).toFixed(3)} vs the run before, ${(eventsPerSecond / rawAfter.rowsPerSecond).toFixed(3)} vs the run after)`,
    );
    log(
      `ratio vs the plain calls table: ${plainRatio.toFixed(3)}  [target >= 0.10] ` +
        `(${(eventsPerSecond / plainBefore.rowsPerSecond).toFixed(3)} before, ${(eventsPerSecond / plainAfter.rowsPerSecond).toFixed(3)} after)`,
    );
    log(`worker events/s: ${Math.round(eventsPerSecond)}  [target >= 5000]`);
    log(`worker peak RSS: ${Math.round(peakRss / 1024)} MB  [target <= 300]`);
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      rows: rows.length,
      rowsPerJob: ROWS_PER_JOB,
      distinctWebhooks: generated.unique,
      calls: generated.calls,
      worker: { nodeArgs, ...Object.fromEntries(Object.keys(WORKER_ENV).map((k) => [k, env[k]])) },
      drainSeconds: drainMs / 1000,
      eventsPerSecond,
      callsPerSecond,
      peakRssMb: peakRss / 1024,
      workerCpuUsPerEvent,
      postgresCpuUsPerEvent,
      redisCpuUsPerEvent,
      machineIdleShare: idleShare,
      loadAverage: os.loadavg(),
      rawRowsPerSecond: {
        before: rawBefore.rowsPerSecond,
        after: rawAfter.rowsPerSecond,
        mean: rawRowsPerSecond,
      },
      plainRowsPerSecond: {
        before: plainBefore.rowsPerSecond,
        after: plainAfter.rowsPerSecond,
        mean: plainRowsPerSecond,
      },
      ratio,
      plainRatio,
      identical,
    };
    fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
    const out = path.join(ROOT, `bench/out/pipeline-${result.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${path.relative(ROOT, out)}`);
    if (!identical) process.exitCode = 1;
  } finally {
    worker?.kill('SIGTERM');
    await queue.obliterate({ force: true }).catch(() => undefined);
    // The cache entries and the live stream the worker wrote under this prefix.
    const redis = (await queue.client) as unknown as Redis;
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      if ((cursor = next) === '0') break;
    }
    await queue.close();
    await sql.end();
    await app.close();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    if (process.env.BENCH_KEEP_DB) log(`kept database ${dbName}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

interface Delivery {
  row: InboxRow;
}

/**
 * Calls start about every 200 ms across the three connections, so hundreds overlap; each fires
 * its lifecycle's webhooks a few seconds apart. Deliveries are then shuffled within a window (so
 * the events of one call often arrive out of order) and some are delivered a second time.
 */
function generate(connections: Connection[], random: () => number) {
  const average = 5.7; // events per call lifecycle, over the three providers
  const unique = Math.round(ROWS / (1 + DUPLICATE_RATE));
  const callsWanted = Math.ceil(unique / average);
  const start = Date.parse('2026-11-20T08:00:00.000Z');
  const webhooks: Array<{ connection: Connection; webhook: RenderedWebhook }> = [];
  const templates = new Map(
    connections.map((c) => [
      c.id,
      c.adapter.webhookTemplates({ url: `http://bench.local/webhooks/${c.provider}/${c.id}`, secret: 's' }),
    ]),
  );
  for (let i = 0; webhooks.length < unique; i++) {
    const connection = connections[i % connections.length];
    const call = newCallSpec(connection.provider, i, new Date(start + i * 200 + Math.floor(random() * 150)));
    for (const webhook of callWebhooks(
      connection.adapter,
      templates.get(connection.id) ?? [],
      call,
      3_000 + Math.floor(random() * 4_000),
    )) {
      webhooks.push({ connection, webhook });
    }
  }
  webhooks.length = unique;
  webhooks.sort((a, b) => a.webhook.receivedAt.getTime() - b.webhook.receivedAt.getTime());

  // The in-order result: every webhook mapped by its plugin, folded oldest first.
  const eventRows: CallEventRow[] = webhooks.map(({ connection, webhook }) =>
    toCallEventRow({
      connectionId: connection.id,
      provider: connection.provider,
      source: 'webhook',
      event: connection.adapter.mapWebhook(toInbound(webhook)),
    }),
  );
  const expected: Map<string, ReferenceCall> = referenceFold(eventRows);

  // Arrival order: displaced within a window of 400, plus repeats.
  const order = webhooks.map((w, i) => ({ w, key: i + random() * 400 }));
  const repeats = Math.round(unique * DUPLICATE_RATE);
  for (let r = 0; r < repeats; r++) {
    const i = Math.floor(random() * webhooks.length);
    order.push({ w: webhooks[i], key: i + random() * 2_000 });
  }
  order.sort((a, b) => a.key - b.key);
  const deliveries: Delivery[] = order
    .slice(0, ROWS)
    .map(({ w }) => ({ row: acceptedInboxRow(w.connection, w.webhook, '203.0.113.10') }));
  return { deliveries, unique, calls: expected.size, callsWanted, expected };
}

/** A baseline table: how it is created and which of the reference row's columns it holds. */
interface BaselineTable {
  create: string;
  columns: Array<{ name: string; type: string }>;
}

const CALL_COLUMNS = [
  { name: 'connection_id', type: 'uuid' },
  { name: 'provider', type: 'text' },
  { name: 'external_id', type: 'text' },
  { name: 'status', type: 'call_status' },
  ...SCALAR_FIELDS.map((f) => ({ name: f.column, type: f.kind === 'integer' ? 'int' : f.kind })),
  ...MAP_FIELDS.map((m) => ({ name: m, type: 'jsonb' })),
  { name: 'last_event_at', type: 'timestamptz' },
];

/** A copy of `calls`: the same columns, the same seven indexes, the jsonb columns. */
const CALLS_COPY: BaselineTable = {
  create: 'CREATE TABLE bench_raw_calls (LIKE calls INCLUDING ALL)',
  columns: CALL_COLUMNS,
};

/** A plain calls table: the scalar columns, no jsonb, no secondary index — only the upsert's key. */
const PLAIN_CALLS: BaselineTable = {
  create: `CREATE TABLE bench_raw_calls (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), ${CALL_COLUMNS.filter(
    (c) => c.type !== 'jsonb',
  )
    .map((c) => `${c.name} ${c.type}`)
    .join(', ')}, UNIQUE (connection_id, external_id))`,
  columns: CALL_COLUMNS.filter((c) => c.type !== 'jsonb'),
};

/** The plain equivalent: the final rows upserted 1,000 at a time (unnest, prepared) into `table`. */
async function rawUpsert(
  sql: pg.Pool,
  calls: ReferenceCall[],
  table: BaselineTable,
): Promise<{ rowsPerSecond: number }> {
  await sql.query(table.create);
  const columns = table.columns.map((c) => c.name);
  const statement = `INSERT INTO bench_raw_calls (${columns.join(', ')})
    SELECT * FROM unnest(${table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})
    ON CONFLICT (connection_id, external_id) DO UPDATE SET ${columns
      .slice(3)
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ')}`;
  const rows = calls.map(comparableReference);
  // Parameters are built before the clock starts: only PostgreSQL's work is timed.
  const chunks: unknown[][][] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    chunks.push(
      table.columns.map((c) =>
        chunk.map((r) => (c.type === 'jsonb' ? JSON.stringify(r[c.name]) : r[c.name])),
      ),
    );
  }
  const client = await sql.connect();
  try {
    // Best of three runs into an empty table, each after a warm-up that prepares the statement.
    let best = Infinity;
    const name = `raw_${createHash('sha1').update(statement).digest('hex').slice(0, 12)}`;
    for (let run = 0; run < 3; run++) {
      await client.query({ name, text: statement, values: chunks[0] });
      await client.query('TRUNCATE bench_raw_calls');
      await client.query('CHECKPOINT');
      const started = process.hrtime.bigint();
      for (const values of chunks) await client.query({ name, text: statement, values });
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
    }
    await client.query('DROP TABLE bench_raw_calls');
    return { rowsPerSecond: rows.length / best };
  } finally {
    client.release();
  }
}

/**
 * CPU used by the PostgreSQL backends of one database (the worker's pool, autovacuum on its
 * tables), from /proc/<pid>/stat. Backends are sampled repeatedly because pooled connections open
 * and close during the run: a backend first seen after the start counts from zero.
 */
class BackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private started = false;

  constructor(
    private readonly sql: pg.Pool,
    private readonly database: string,
  ) {}

  async sample(): Promise<void> {
    const { rows } = await this.sql.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [this.database],
    );
    for (const { pid } of rows) {
      const ticks = processTicks(pid);
      if (!this.first.has(pid)) this.first.set(pid, this.started ? 0 : ticks);
      this.last.set(pid, Math.max(ticks, this.last.get(pid) ?? 0));
    }
    this.started = true;
  }

  get count(): number {
    return this.first.size;
  }

  /** Clock ticks used since the first sample. */
  ticks(): number {
    let total = 0;
    for (const [pid, start] of this.first) total += (this.last.get(pid) ?? start) - start;
    return total;
  }
}

/** The Redis server's pid, when it runs on this machine (its CPU is then read like the worker's). */
async function redisServerPid(queue: Queue): Promise<number> {
  const redis = (await queue.client) as unknown as Redis;
  const info = await redis.info('server');
  return Number(/process_id:(\d+)/.exec(info)?.[1] ?? 0);
}

/** JSON with object keys sorted at every level (jsonb reorders keys; equality must not care). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Total and idle CPU clock ticks of the machine (/proc/stat). */
function machineTicks(): { total: number; idle: number } {
  const fields = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { total: fields.reduce((a, b) => a + b, 0), idle: fields[3] + (fields[4] ?? 0) };
}

/** User + system CPU clock ticks of a process (/proc/<pid>/stat). */
function processTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function vmHwmKb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

function redisOptions(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `pipeline benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
