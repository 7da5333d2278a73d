// `npm run bench:scale`: the whole platform end to end — N api processes and M workers against one
// PostgreSQL and one Redis — under the same webhook load, one configuration after another in one
// run (default 1+1, 2+2, 1+2, 2+1 and 1+1 again), so the figures compare. Loopback only, bounded: each
// configuration about a minute, the whole run about six.
//
// Per configuration (fresh processes, the same database emptied, a Redis prefix of its own):
//   idle        a few seconds without load: what each process costs doing nothing
//   warm-up     the steady rate, not measured
//   steady      a fixed rate (BENCH_RATE, default 500 webhooks/s) every configuration sustains:
//               CPU µs per event per component (api, worker, PostgreSQL by client, Redis) — the
//               basis of docs/capacity.md — and end-to-end latency (received -> stored)
//   ingress     the workers stopped (SIGSTOP), the api processes as fast as they answer: the
//               ingress side alone, and a backlog to drain
//   workers     load off, workers resumed, until the backlog is stored: the pipeline side alone
//   saturation  both at once, as fast as the api processes answer (closed loop): accepted/s,
//               stored/s, backlog growth, CPUs by component, and the bottleneck named
//   checks      every 2xx-acknowledged webhook stored and processed once; a redelivered event
//               (every 20th signed one, sent again through another api process) accepted once;
//               with two api processes, a connection's rate limit shared (not doubled)
// Then ratios against 1+1 and bench/out/scale-<time>.json.
//
// Environment: BENCH_CONFIGS ("1+1,2+2"), BENCH_RATE, BENCH_STEADY_SECONDS, BENCH_SATURATION_SECONDS,
// BENCH_CONCURRENCY, BENCH_PIN ("api=0 worker=1": taskset CPU lists per role), TEST_DATABASE_URL /
// TEST_REDIS_URL (admin URLs), BENCH_KEEP_DB, and worker variables (WORKER_CONCURRENCY, WORKER_BATCH_SIZE,
// DATABASE_POOL_SIZE, BENCH_WORKER_NODE_ARGS).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createBenchDatabase, dropBenchDatabase } from '../common/bench-database.js';
import { loadAverage } from '../common/process-cpu.js';
import { workerNodeArgs as workerNodeArgsFor, workerThroughputEnv } from '../common/worker-settings.js';
import { createConnection } from './bench-connections.js';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './component-cpu.js';
import { Deployment, parseShape, shapeName, type Shape } from './deployment.js';
import { EventLedger } from './event-ledger.js';
import { bottleneck, phaseFigures } from './phase-figures.js';
import { checkSharedRateLimit, type RateLimitCheck } from './rate-limit-check.js';
import {
  failuresOf,
  printConfig,
  printSummary,
  ratiosAgainstFirst,
  type ConfigResult,
} from './scale-report.js';
import { redisFootprint, tableFootprints, type TableFootprint } from './storage-footprint.js';
import { driveLoad, type LoadOutcome } from './webhook-load.js';
import { WebhookTraffic, type ScaleConnection } from './webhook-traffic.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// The first configuration again at the end: its ratio to the first run is the run-to-run drift
// (other load on the machine, tables and caches warming), the noise floor of the other ratios.
const SHAPES = (process.env.BENCH_CONFIGS ?? '1+1,2+2,1+2,2+1,1+1').split(',').map(parseShape);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const IDLE_SECONDS = 3;
const WARMUP_SECONDS = 4;
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 15);
const SATURATION_SECONDS = Number(process.env.BENCH_SATURATION_SECONDS ?? 12);
const INGRESS_ONLY_SECONDS = Number(process.env.BENCH_INGRESS_ONLY_SECONDS ?? 6);
/** measured phases of one configuration, the workers' drain included */
const CONFIG_BUDGET_SECONDS = 60;
const RUN_BUDGET_SECONDS = 360;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48);
const REDELIVER_EVERY = 20;
const RATE_LIMIT = { perSecond: 100, seconds: 3 };
const CONNECTIONS_PER_PROVIDER = 4;
/** Worker settings for throughput, as docs/pipeline.md recommends (each can be overridden). */

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const runStarted = Date.now();
  const run = randomBytes(3).toString('hex');
  const dbName = `sb_bench_scale_${run}`;
  const dbUrl = await createBenchDatabase({ adminUrl: ADMIN_URL, name: dbName, root: ROOT });
  const sql = new pg.Pool({ connectionString: dbUrl, max: 2, application_name: 'sb-scale-bench' });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const ledger = new EventLedger(sql);
  const adminToken = randomBytes(24).toString('hex');
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl,
    REDIS_URL,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'info',
    LOG_REQUESTS: 'false',
    SYNC_SCHEDULE_ENABLED: 'false',
  };
  const workerEnv = workerThroughputEnv();
  const workerNodeArgs = workerNodeArgsFor();
  const pin = parsePin(process.env.BENCH_PIN);
  const cpus = os.cpus().length;

  log(
    `scale benchmark: configurations ${SHAPES.map(shapeName).join(', ')}; per configuration ${IDLE_SECONDS}s idle, ` +
      `${WARMUP_SECONDS}s warm-up, ${STEADY_SECONDS}s steady at ${RATE}/s, ${SATURATION_SECONDS}s saturated ` +
      `(${CONCURRENCY} HTTP connections), ${INGRESS_ONLY_SECONDS}s ingress alone (workers stopped), workers alone until drained`,
  );
  log(
    `machine: ${cpus} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `node ${process.version}, load average ${loadAverage()}; workers: node ${workerNodeArgs.join(' ')} ` +
      `${Object.entries(workerEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}${pin ? `; pinned: ${JSON.stringify(pin)}` : ''}`,
  );

  const results: ConfigResult[] = [];
  const skipped: string[] = [];
  let connections: ScaleConnection[] = [];
  let limited: ScaleConnection | undefined;
  let tables: TableFootprint[] = [];
  let current: Deployment | undefined;
  let prefix = '';
  try {
    for (const shape of SHAPES) {
      const elapsed = (Date.now() - runStarted) / 1000;
      if (elapsed + CONFIG_BUDGET_SECONDS + 15 > RUN_BUDGET_SECONDS) {
        skipped.push(shapeName(shape));
        continue;
      }
      prefix = `sbscale-${run}-${shape.apis}x${shape.workers}`;
      await ledger.reset();
      const startup = Date.now();
      current = await Deployment.start(shape, {
        root: ROOT,
        env: { ...baseEnv, REDIS_PREFIX: prefix },
        workerEnv,
        workerNodeArgs,
        pin,
      });
      const deployment = current;
      const startupSeconds = (Date.now() - startup) / 1000;
      if (connections.length === 0) {
        ({ connections, limited } = await createConnections(deployment.apiUrls[0], adminToken));
      }
      const result = await measure(shape, deployment, {
        sql,
        redis,
        ledger,
        dbName,
        prefix,
        connections,
        limited,
        cpus,
        startupSeconds,
      });
      results.push(result);
      printConfig(result);
      tables = await tableFootprints(sql);
      await deployment.stop();
      current = undefined;
      await removeKeys(redis, prefix);
    }
  } catch (error) {
    await current?.stop();
    if (prefix) await removeKeys(redis, prefix);
    await sql.end();
    redis.disconnect();
    await dropBenchDatabase(ADMIN_URL, dbName);
    throw error;
  }

  const summary = {
    date: new Date().toISOString(),
    machine: {
      cpus,
      model: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    settings: {
      rate: RATE,
      steadySeconds: STEADY_SECONDS,
      saturationSeconds: SATURATION_SECONDS,
      concurrency: CONCURRENCY,
      worker: { nodeArgs: workerNodeArgs, ...workerEnv },
      pin,
    },
    runSeconds: Math.round((Date.now() - runStarted) / 1000),
    results,
    skipped,
    tables,
    ratios: ratiosAgainstFirst(results),
  };
  printSummary(summary.ratios, tables, results, skipped, summary.runSeconds, RUN_BUDGET_SECONDS);

  fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
  const out = path.join(ROOT, `bench/out/scale-${summary.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  log(`details: ${path.relative(ROOT, out)}`);

  await sql.end();
  redis.disconnect();
  if (process.env.BENCH_KEEP_DB) log(`kept database ${dbName}`);
  else await dropBenchDatabase(ADMIN_URL, dbName);
  const failures = results.flatMap((r) => failuresOf(r));
  if (failures.length > 0) {
    log(`FAILED: ${failures.join('; ')}`);
    process.exitCode = 1;
  }
}

interface MeasureContext {
  sql: pg.Pool;
  redis: Redis;
  ledger: EventLedger;
  dbName: string;
  prefix: string;
  connections: ScaleConnection[];
  limited?: ScaleConnection;
  cpus: number;
  startupSeconds: number;
}

async function measure(shape: Shape, deployment: Deployment, ctx: MeasureContext): Promise<ConfigResult> {
  const began = Date.now();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const snapshot = () => cpuSnapshot(deployment, ctx.sql, ctx.redis);
  const traffic = new WebhookTraffic(ctx.connections);
  const loads: LoadOutcome[] = [];
  const drive = async (seconds: number, rate?: number) => {
    const outcome = await driveLoad({
      apiUrls: deployment.apiUrls,
      traffic,
      seconds,
      connections: CONCURRENCY,
      rate,
      redeliverEvery: REDELIVER_EVERY,
    });
    loads.push(outcome);
    return outcome;
  };

  // idle
  const idleStart = await snapshot();
  await sleep(IDLE_SECONDS * 1000);
  const idleEnd = await snapshot();
  const idle = cpuBetween(idleStart, idleEnd, ctx.dbName);
  const perSecond = (ms: number) => Math.round(ms / (idle.wallMs / 1000));

  await drive(WARMUP_SECONDS, RATE);

  const steadyStart = await snapshot();
  const steadyLoad = await drive(STEADY_SECONDS, RATE);
  const steadyEnd = await snapshot();

  // The steady rows stored before the workers stop, so none of them waits out the pause.
  await ctx.ledger.drain(Date.now() + 10_000);

  // The two sides apart: the workers stopped (SIGSTOP) while the api processes take all they can,
  // then the api processes idle while the workers store the backlog that built up.
  deployment.pauseWorkers();
  const ingressStart = await snapshot();
  const ingressLoad = await drive(INGRESS_ONLY_SECONDS);
  const ingressEnd = await snapshot();
  const redisBytes = await redisFootprint(ctx.redis, ctx.prefix, ctx.sql).catch(() => undefined);
  const drainStart = await snapshot();
  deployment.resumeWorkers();
  const drained = await ctx.ledger.drain(Date.now() + 30_000);
  const drainEnd = await snapshot();

  // Both sides at once, as fast as the api processes answer; then whatever piled up is stored.
  const saturationStart = await snapshot();
  const saturationLoad = await drive(SATURATION_SECONDS);
  const saturationEnd = await snapshot();
  const budgetLeft = CONFIG_BUDGET_SECONDS * 1000 - (Date.now() - began);
  const finalDrain = await ctx.ledger.drain(Date.now() + Math.max(10_000, budgetLeft));

  let rateLimit: { figures: RateLimitCheck; acceptedIds: string[] } | undefined;
  if (shape.apis >= 2 && ctx.limited) {
    rateLimit = await checkSharedRateLimit({
      sql: ctx.sql,
      apiUrls: deployment.apiUrls,
      connection: ctx.limited,
      limitPerSecond: RATE_LIMIT.perSecond,
      seconds: RATE_LIMIT.seconds,
    });
    await ctx.ledger.drain(Date.now() + 15_000);
  }

  const acknowledged = [...loads.flatMap((l) => l.acceptedIds), ...(rateLimit?.acceptedIds ?? [])];
  const check = await ctx.ledger.check(acknowledged);
  const figures = async (from: CpuSnapshot, to: CpuSnapshot, load?: LoadOutcome, offered?: number) =>
    phaseFigures({
      window: await ctx.ledger.window(from.at, to.at),
      cpu: cpuBetween(from, to, ctx.dbName),
      load,
      offeredPerSecond: offered,
    });
  const saturation = await figures(saturationStart, saturationEnd, saturationLoad);
  const ingressOnly = await figures(ingressStart, ingressEnd, ingressLoad);
  const workersOnly = await figures(drainStart, drainEnd);
  return {
    shape: shapeName(shape),
    startedAt,
    loadAverageAtStart,
    startupSeconds: ctx.startupSeconds,
    idleMsPerSecond: { api: idle.perApi.map(perSecond), worker: idle.perWorker.map(perSecond) },
    steady: await figures(steadyStart, steadyEnd, steadyLoad, RATE),
    saturation,
    ingressOnly,
    workersOnly: { ...workersOnly, drained: drained.drained, remaining: drained.remaining },
    drainedAfterSaturation: finalDrain.drained,
    bottleneck: bottleneck({ saturation, ingressOnly, workersOnly }, ctx.cpus),
    rateLimit: rateLimit?.figures,
    http: {
      otherStatus: loads.reduce((n, l) => n + l.otherStatus, 0),
      errors: loads.reduce((n, l) => n + l.errors, 0),
    },
    redelivered: {
      sent: loads.reduce((n, l) => n + l.redeliveriesSent, 0),
      answeredDuplicate: loads.reduce((n, l) => n + l.duplicates, 0),
      acceptedTwice: loads.reduce((n, l) => n + l.eventsAcceptedTwice, 0),
    },
    check,
    redis: redisBytes,
    crashed: deployment.crashed(),
  };
}

async function createConnections(
  apiUrl: string,
  adminToken: string,
): Promise<{ connections: ScaleConnection[]; limited: ScaleConnection }> {
  const connections: ScaleConnection[] = [];
  // TrackDrive through a signing relay (Standard Webhooks HMAC over its JSON POST); Ringba and
  // Retreaver with the token their pixels carry, as those providers send them.
  for (const [provider, scheme] of [
    ['ringba', 'token'],
    ['retreaver', 'token'],
    ['trackdrive', 'hmac'],
  ] as const) {
    for (let i = 0; i < CONNECTIONS_PER_PROVIDER; i++) {
      connections.push(
        await createConnection({ apiUrl, adminToken, provider, scheme, name: `scale ${provider} ${i + 1}` }),
      );
    }
  }
  const limited = await createConnection({
    apiUrl,
    adminToken,
    provider: 'trackdrive',
    scheme: 'hmac',
    name: 'scale rate-limited',
    rateLimitPerSecond: RATE_LIMIT.perSecond,
  });
  return { connections, limited };
}

/** `api=0 worker=1` -> taskset CPU lists per role. */
function parsePin(text: string | undefined): { api?: string; worker?: string } | undefined {
  if (!text) return undefined;
  const pin: { api?: string; worker?: string } = {};
  for (const part of text.split(/[;\s]+/).filter(Boolean)) {
    const [role, cpus] = part.split('=');
    if ((role !== 'api' && role !== 'worker') || !cpus)
      throw new Error(`BENCH_PIN is "api=<cpus> worker=<cpus>" (got "${text}")`);
    pin[role] = cpus;
  }
  return pin;
}

/** Everything the configuration left in Redis under its prefix (jobs, cache, stream). */
async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    if ((cursor = next) === '0') break;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `scale benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
