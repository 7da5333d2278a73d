// `npm run bench:sync`: a backfill by the sync engine against the plain loop fetching the same
// pages from the same provider simulator, in the same run, under the same rate limit.
//
// 1. Starts the Ringba simulator (the bundled provider with the largest documented page size,
//    1,000 call-log rows) serving N calls over three days (default 20,000; --calls 200000 for the
//    full run).
// 2. Baseline: two plain loops (one per half of the range) POSTing the plugin's own call-log request
//    page by page, each request after the same Redis rate limiter the connections use, parsing the
//    answer and nothing more.
// 3. Engine: two worker processes (apps/worker/dist/main.js), each running one backfill run of half
//    the range (the runs are split in day chunks like any backfill), both sharing the connection's
//    configured limit (settings.rateLimits.requestsPerSecond).
// 4. Reports calls/s of both and their ratio, the workers' peak RSS, the request rate the simulator
//    saw in clock-second windows, and whether the table equals the simulator's history.
// Writes bench/out/sync-<time>.json.
//
// Options: --calls N (or SYNC_BENCH_CALLS), --rps N (default 1: the steady rate Ringba's reporting
// limits, 5/s and 80/min, allow a backfill longer than a minute; see bench/RESULTS.md),
// --page-size N (default 1000), --seed N; environment TEST_DATABASE_URL / TEST_REDIS_URL (admin
// URLs, as the tests use), BENCH_WORKER_NODE_ARGS, BENCH_KEEP_DB, any worker variable.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Agent } from 'undici';
import { loadConfig } from '@switchboard/config';
import { ConnectionService } from '@switchboard/connections';
import { discoverPlugins } from '@switchboard/core';
import { migrate } from '@switchboard/persistence';
import { PlatformModule } from '@switchboard/platform';
import { RINGBA_MAX_PAGE_SIZE, RINGBA_RATE_LIMITS } from '@switchboard/plugin-ringba';
import { RedisRateLimiter } from '@switchboard/provider-http';
import { QueueName } from '@switchboard/queue';
import { SyncRunService, chunkCount, chunkWindow } from '@switchboard/sync';
import { createRingbaSimulator } from '../../../test/simulators/dist/ringba/index.js';
import { fetchWindows } from './baseline-fetch.js';
import { requestRate, type RequestRate } from './request-rate.js';
import { checkTable } from './table-check.js';
import { WorkerProcess, backendCpuMs, machineTicks } from './worker-processes.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WORKER = path.join(ROOT, 'apps/worker/dist/main.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DAY_MS = 86_400_000;
/** The simulator spreads its history over the three days before this moment. */
const HISTORY_END = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const HISTORY_START = new Date(HISTORY_END.getTime() - 3 * DAY_MS);
const WORKERS = 2;
/** The documented production setting for the worker (docs/pipeline.md, "Memory"). */
const DEFAULT_WORKER_NODE_ARGS = '--max-old-space-size=128';
const WORKER_ENV: Record<string, string> = {
  // One run per worker, so the two runs go to the two processes.
  SYNC_CONCURRENCY: '1',
  LOG_LEVEL: 'info',
  LOG_REQUESTS: 'false',
};

const log = (line: string) => process.stdout.write(`${line}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string' },
      rps: { type: 'string' },
      'page-size': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const int = (value: string | undefined, fallback: number, name: string) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  return {
    calls: int(values.calls ?? process.env.SYNC_BENCH_CALLS, 20_000, 'calls'),
    rps: int(values.rps, 1, 'rps'),
    pageSize: Math.min(int(values['page-size'], RINGBA_MAX_PAGE_SIZE, 'page-size'), RINGBA_MAX_PAGE_SIZE),
    seed: int(values.seed, 20261127, 'seed'),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const dbName = `sb_bench_sync_${randomBytes(4).toString('hex')}`;
  const dbUrl = withDatabase(ADMIN_URL, dbName);
  const prefix = `sbbench-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    ENCRYPTION_KEYS: process.env.BENCH_ENCRYPTION_KEYS ?? `k1:${randomBytes(32).toString('base64')}`,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    ALLOW_CUSTOM_API_BASE_URLS: 'true',
    WORKER_PORT: '0',
  };
  for (const key of Object.keys(WORKER_ENV)) env[key] = process.env[key] ?? WORKER_ENV[key];
  for (const key of ['BACKFILL_CHUNK_SECONDS', 'DATABASE_POOL_SIZE', 'WORKER_CONCURRENCY']) {
    if (process.env[key]) env[key] = process.env[key] as string;
  }
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? DEFAULT_WORKER_NODE_ARGS)
    .split(' ')
    .filter(Boolean);
  // The configured per-second limit is the only one: the manifest's 80/min is turned off (it never
  // binds at the default 1/s; with --rps 5 it would only stretch both sides alike).
  const limits = { ...RINGBA_RATE_LIMITS, requestsPerSecond: opts.rps, requestsPerMinute: 0 };

  log(
    `sync benchmark: ${opts.calls} Ringba calls over 3 days, pages of ${opts.pageSize}, ` +
      `rate limit ${opts.rps} requests/s shared by ${WORKERS} workers`,
  );
  log(
    `worker: node ${nodeArgs.join(' ') || '(no flags)'}, ${Object.keys(WORKER_ENV)
      .map((k) => `${k}=${env[k]}`)
      .join(' ')}`,
  );
  log(
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );

  const generated = Date.now();
  const sim = createRingbaSimulator({ seed: opts.seed, historyCalls: opts.calls, historyEnd: HISTORY_END });
  await sim.start();
  const truth = sim.history();
  log(
    `simulator: ${truth.length} calls generated in ${((Date.now() - generated) / 1000).toFixed(1)} s at ${sim.baseUrl}`,
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
    { logger: ['error'] },
  );
  const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  const workers: WorkerProcess[] = [];

  try {
    const { connection } = await app.get(ConnectionService).create({
      provider: 'ringba',
      name: 'ringba sync bench',
      credentials: sim.credentials,
      settings: {
        apiBaseUrl: sim.baseUrl,
        rateLimits: { requestsPerSecond: limits.requestsPerSecond, requestsPerMinute: 0 },
        // Backfills only: no scheduled sync spending the same budget meanwhile.
        sync: { batchSize: opts.pageSize, enabled: false },
      },
      validate: false,
    });

    // The two halves of the range, in the chunks a backfill run splits them into (SyncRunService).
    const middle = new Date(HISTORY_START.getTime() + (HISTORY_END.getTime() - HISTORY_START.getTime()) / 2);
    const halves = [
      { from: HISTORY_START, to: middle },
      { from: middle, to: HISTORY_END },
    ];
    const chunksOf = (half: { from: Date; to: Date }) => {
      const span = (half.to.getTime() - half.from.getTime()) / 1000;
      const seconds = Math.max(1, Math.min(config.sync.chunkSeconds, Math.ceil(span)));
      return Array.from({ length: chunkCount(half, seconds) }, (_, i) => chunkWindow(half, seconds, i));
    };

    // --- baseline: fetch the same pages, no mapping, no storing
    const limiter = new RedisRateLimiter(redis, prefix);
    const account = { baseUrl: sim.baseUrl, ...sim.credentials };
    const baselineFirstRequest = sim.requestTimes().length;
    const baselineStart = Date.now();
    const fetched = await Promise.all(
      halves.map((half) =>
        fetchWindows({
          account,
          windows: chunksOf(half),
          pageSize: opts.pageSize,
          limiter,
          limitKey: 'baseline',
          limits,
          dispatcher,
        }),
      ),
    );
    const baselineMs = Date.now() - baselineStart;
    const baselineTimes = sim.requestTimes().slice(baselineFirstRequest);
    const baselineCalls = fetched.reduce((n, f) => n + f.calls, 0);
    const baselinePages = fetched.reduce((n, f) => n + f.pages, 0);
    const baseline = {
      seconds: baselineMs / 1000,
      calls: baselineCalls,
      pages: baselinePages,
      callsPerSecond: baselineCalls / (baselineMs / 1000),
      rate: requestRate(baselineTimes, opts.rps),
    };
    log(
      `baseline (plain fetch): ${baselineCalls} calls in ${baselinePages} pages, ${baseline.seconds.toFixed(2)} s = ` +
        `${Math.round(baseline.callsPerSecond)} calls/s; ${describeRate(baseline.rate)}`,
    );

    // --- engine: two worker processes, one backfill run each
    for (let i = 0; i < WORKERS; i++) {
      workers.push(await WorkerProcess.start({ script: WORKER, cwd: ROOT, nodeArgs, env }));
    }
    const idleRssKb = workers.map((w) => w.peakRssKb());
    const cpuAtStart = {
      machine: machineTicks(),
      workers: workers.map((w) => w.cpuMs()),
      bench: process.cpuUsage(),
    };
    const engineFirstRequest = sim.requestTimes().length;
    const backendsAtStart = await backendCpuMs(sql, dbName);
    const runsService = SyncRunService.fromContext(app);
    const engineStart = Date.now();
    const runs = [];
    for (const half of halves) {
      runs.push(
        await runsService.start({
          connectionId: connection.id,
          kind: 'backfill',
          ...half,
          requestedBy: 'bench',
        }),
      );
    }
    let peakRssKb = workers.map(() => 0);
    let finished: Array<{
      id: string;
      state: string;
      finished_at: Date | null;
      calls_seen: number;
      pages: number;
      error: string | null;
    }> = [];
    for (;;) {
      peakRssKb = workers.map((w, i) => Math.max(peakRssKb[i], w.peakRssKb()));
      ({ rows: finished } = await sql.query(
        'SELECT id, state, finished_at, calls_seen, pages, error FROM sync_runs WHERE id = ANY($1::uuid[])',
        [runs.map((r) => r.id)],
      ));
      if (finished.every((r) => r.finished_at !== null)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    peakRssKb = workers.map((w, i) => Math.max(peakRssKb[i], w.peakRssKb()));
    const engineMs = Math.max(...finished.map((r) => (r.finished_at as Date).getTime())) - engineStart;
    const machineEnd = machineTicks();
    // PostgreSQL's share: the backends serving this database (the workers' pools and this process's).
    let postgresCpuMs = 0;
    for (const [pid, ms] of await backendCpuMs(sql, dbName))
      postgresCpuMs += ms - (backendsAtStart.get(pid) ?? 0);
    const workerCpuMs = workers.map((w, i) => w.cpuMs() - cpuAtStart.workers[i]);
    const benchCpu = process.cpuUsage(cpuAtStart.bench);
    const idleShare =
      (machineEnd.idle - cpuAtStart.machine.idle) / (machineEnd.total - cpuAtStart.machine.total);
    const engineTimes = sim.requestTimes().slice(engineFirstRequest);
    for (const worker of workers) await worker.stop();
    // Which process ran which run (each logs its run's end).
    const ranBy = runs.map((run) => workers.findIndex((w) => w.output.includes(`backfill ${run.id}`)));

    const check = await checkTable(sql, connection.id, truth);
    const engineCalls = check.stored;
    const engine = {
      seconds: engineMs / 1000,
      calls: engineCalls,
      pages: finished.reduce((n, r) => n + r.pages, 0),
      callsPerSecond: engineCalls / (engineMs / 1000),
      rate: requestRate(engineTimes, opts.rps),
      // Pages fetched per fifth of the run: with one page fetched ahead, the pace of the writes.
      callsPerSecondByFifth: byFifth(engineTimes, engineStart, engineStart + engineMs).map(
        (pages) => (pages * opts.pageSize) / (engineMs / 5000),
      ),
      runs: finished.map((r) => ({
        id: r.id,
        state: r.state,
        callsSeen: r.calls_seen,
        pages: r.pages,
        error: r.error,
      })),
      ranBy,
      peakRssMb: peakRssKb.map((kb) => kb / 1024),
      idleRssMb: idleRssKb.map((kb) => kb / 1024),
      workerCpuUsPerCall: workerCpuMs.map((ms) => (ms * 1000) / Math.max(engineCalls, 1)),
      postgresCpuUsPerCall: (postgresCpuMs * 1000) / Math.max(engineCalls, 1),
      benchProcessCpuUsPerCall: (benchCpu.user + benchCpu.system) / Math.max(engineCalls, 1),
      machineIdleShare: idleShare,
    };
    log(
      `engine (${WORKERS} workers): ${engineCalls} calls in ${engine.pages} pages, ${engine.seconds.toFixed(2)} s = ` +
        `${Math.round(engine.callsPerSecond)} calls/s; ${describeRate(engine.rate)}`,
    );
    log(
      `engine pace by fifth of the run (pages fetched x page size): ${engine.callsPerSecondByFifth.map((n) => Math.round(n)).join(', ')} calls/s`,
    );
    log(
      `runs: ${engine.runs.map((r, i) => `${r.state} (${r.callsSeen} calls, ${r.pages} pages, worker ${ranBy[i] + 1})`).join(', ')}` +
        `${engine.runs.some((r) => r.error) ? `; errors: ${engine.runs.map((r) => r.error).join(' | ')}` : ''}`,
    );
    log(
      `worker CPU per call: ${engine.workerCpuUsPerCall.map((us) => `${Math.round(us)} us`).join(', ')}; ` +
        `PostgreSQL (this database's backends) ${Math.round(engine.postgresCpuUsPerCall)} us; ` +
        `bench process (simulator) ${Math.round(engine.benchProcessCpuUsPerCall)} us; machine idle ${(idleShare * 100).toFixed(0)}% of ${os.cpus().length} CPUs`,
    );
    log(
      `table: ${check.stored} calls stored of ${check.expected} at the provider, ${check.missing} missing, ${check.unexpected} unexpected, ` +
        `${check.fieldMismatches} with differing fields, ${check.notStamped} not stamped, ${check.callEvents} call_events` +
        (check.samples.length ? `\n  ${check.samples.join('\n  ')}` : ''),
    );

    const ratio = engine.callsPerSecond / baseline.callsPerSecond;
    const peakRssMb = Math.max(...engine.peakRssMb);
    const bothWorked = new Set(ranBy).size === WORKERS && !ranBy.includes(-1);
    log('');
    log(
      `ratio (engine calls/s / plain fetch calls/s): ${ratio.toFixed(3)}  [target >= 0.7] ${ratio >= 0.7 ? 'met' : 'MISSED'}`,
    );
    log(
      `worker peak RSS: ${engine.peakRssMb.map((mb) => `${Math.round(mb)} MB`).join(', ')} (idle ${engine.idleRssMb.map((mb) => Math.round(mb)).join(', ')} MB)  ` +
        `[target <= 300] ${peakRssMb <= 300 ? 'met' : 'MISSED'}`,
    );
    log(
      `request rate at the simulator during the engine run: mean ${engine.rate.meanPerSecond.toFixed(3)}/s of ${opts.rps}/s ` +
        `(${(engine.rate.budgetUsed * 100).toFixed(1)}% of the budget used), busiest second ${engine.rate.busiest}, ` +
        `busiest 10 s ${engine.rate.busiestTenSeconds}  [at most 5% over the limit] ${engine.rate.withinTolerance ? 'met' : 'MISSED'}`,
    );
    log(`both workers ran a backfill at once: ${bothWorked ? 'yes' : 'NO'}`);
    log(`final table equal to the simulator's history: ${check.equal ? 'yes' : 'NO'}`);

    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        loadAverageAtEnd: os.loadavg(),
      },
      options: opts,
      worker: { nodeArgs, ...Object.fromEntries(Object.keys(WORKER_ENV).map((k) => [k, env[k]])) },
      chunkSeconds: config.sync.chunkSeconds,
      baseline,
      engine,
      ratio,
      peakRssMb,
      bothWorked,
      table: check,
    };
    fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
    const out = path.join(ROOT, `bench/out/sync-${result.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${path.relative(ROOT, out)}`);
    if (!check.equal || !bothWorked || finished.some((r) => r.state !== 'succeeded')) process.exitCode = 1;
  } finally {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    const queue = app.get<Queue>(getQueueToken(QueueName.Sync));
    await queue.obliterate({ force: true }).catch(() => undefined);
    for (let cursor = '0'; ;) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      if ((cursor = next) === '0') break;
    }
    redis.disconnect();
    await dispatcher.close();
    await sim.stop();
    await sql.end();
    await app.close();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    if (process.env.BENCH_KEEP_DB) log(`kept database ${dbName}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

function describeRate(rate: RequestRate): string {
  return (
    `simulator saw ${rate.requests} requests over ${rate.seconds} s: mean ${rate.meanPerSecond.toFixed(2)}/s ` +
    `(full seconds: median ${rate.median}, quietest ${rate.quietest}, busiest ${rate.busiest}, ${rate.secondsOverLimit} over ${rate.limit}; ` +
    `busiest 10 s ${rate.busiestTenSeconds})`
  );
}

/** How many of `times` fall in each fifth of [start, end). */
function byFifth(times: readonly number[], start: number, end: number): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const t of times) counts[Math.min(4, Math.max(0, Math.floor(((t - start) / (end - start)) * 5)))]++;
  return counts;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sync benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
