/**
 * `npm run bench:ingress`: the webhook ingress against its two plain-Node baselines, in one run, on
 * loopback only, for a bounded time (about BENCH_ROUNDS x 3 x BENCH_DURATION seconds plus setup).
 *
 * 1. A fresh bench database (migrated) and Redis prefixes of their own.
 * 2. The api (built dist) as a child process, logging off; BENCH_WEBHOOK_CONNECTIONS connections
 *    created through its REST API: half TrackDrive with Standard Webhooks HMAC, half Ringba with a
 *    shared token (default rate limit on).
 * 3. The baselines (bare node:http: same verification, one INSERT and one enqueue per request), as
 *    child processes on the same database and connections: `bullmq` enqueues with one BullMQ
 *    queue.add, `lpush` with one Redis LPUSH (the cheaper, stricter bar).
 * 4. A warm-up of each, then BENCH_ROUNDS rounds; each round runs all three for BENCH_DURATION
 *    seconds with autocannon (BENCH_CONCURRENCY connections, the same request mix), rotating which
 *    goes first, so that load from anything else on the machine falls on all alike. Before each run
 *    webhook_logs is emptied; after it every id acknowledged with a 2xx is looked up in
 *    webhook_logs, so a lost acknowledged event is counted.
 * 5. Prints accepted/s, p50/p99 latency, the ratios api/bullmq and api/lpush, CPU per webhook and
 *    the loss check; writes bench/out/ingress.json. Exits 1 when an acknowledged event is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import pg from 'pg';
import { migrate } from '@switchboard/persistence';
import { Redis } from 'ioredis';
import { freePort } from '../common/free-port.js';
import { machineCpuMs, processCpuMs } from '../common/process-cpu.js';
import { baselineListKey, nextRequest, type BenchConnection } from './traffic.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WEBHOOK_CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 16);
const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB_NAME = 'sb_bench_ingress';
const ADMIN_TOKEN = randomBytes(24).toString('hex');
const LOAD_AT_START = os.loadavg().map((l) => Number(l.toFixed(2)));

interface RunResult {
  target: string;
  acceptedPerSecond: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  acknowledged: number;
  storedOfAcknowledged: number;
  missing: number;
  jobs?: number;
  rowsWaitingForRelay?: number;
  /** CPU time (user + system) of the server process per 1,000 accepted webhooks in the measured run. */
  serverCpuMsPer1000?: number;
  /** Rows per INSERT statement (rows sharing a transaction timestamp). */
  rowsPerInsert?: number;
  /** CPU time of all PostgreSQL and Redis processes on the machine per 1,000 accepted webhooks (includes anything else using them). */
  storageCpuMsPer1000?: number;
  /** CPU time of this process (the load generator) per 1,000 accepted webhooks. */
  loadGeneratorCpuMsPer1000?: number;
  /** Share of the machine's CPU time left idle during the measured run. */
  machineIdle?: number;
}

const children: ChildProcess[] = [];

async function main(): Promise<void> {
  const dbUrl = databaseUrl(DB_NAME);
  await admin(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB_NAME}"`);
  await migrate({ databaseUrl: dbUrl, migrationsDir: path.join(ROOT, 'prisma/migrations') });
  const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const run = randomBytes(3).toString('hex');
  const apiPrefix = `sbbench-api-${run}`;
  const basePrefix = `sbbench-base-${run}`;
  const lpushPrefix = `sbbench-lpush-${run}`;

  const apiPort = await freePort();
  // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the api under load
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = start('api', 'node', [...nodeArgs, path.join(ROOT, 'apps/api/dist/main.js')], {
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: apiPrefix,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ADMIN_TOKEN,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    // BENCH_API_LOG_REQUESTS=true measures the api as deployed by default (one log line per request).
    LOG_REQUESTS: process.env.BENCH_API_LOG_REQUESTS ?? 'false',
    LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'warn',
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor(`${apiUrl}/health/live`, api);

  const connections: BenchConnection[] = [];
  for (let i = 0; i < WEBHOOK_CONNECTIONS; i++) {
    const hmac = i % 2 === 0;
    const provider = hmac ? 'trackdrive' : 'ringba';
    const response = await fetch(`${apiUrl}/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        provider,
        name: `bench ${provider} ${i}`,
        validate: false,
        credentials: hmac
          ? { subdomain: `bench${i}`, publicKey: 'bench-public', privateKey: 'bench-private' }
          : { accountId: `RA00000${i}`, apiToken: 'bench-api-token' },
        settings: hmac ? { webhook: { scheme: 'hmac' } } : {},
      }),
    });
    if (response.status !== 201 && response.status !== 200) {
      throw new Error(`creating a connection failed: ${response.status} ${await response.text()}`);
    }
    const created = (await response.json()) as { connection: { id: string }; webhookSecret: string };
    connections.push({
      id: created.connection.id,
      provider,
      scheme: hmac ? 'hmac' : 'token',
      secret: created.webhookSecret,
    });
  }

  const startBaseline = async (enqueue: 'bullmq' | 'lpush', prefix: string) => {
    const port = await freePort();
    const child = start(enqueue, 'node', [path.join(import.meta.dirname, 'baseline-server.js')], {
      PORT: String(port),
      DATABASE_URL: dbUrl,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      BASELINE_ENQUEUE: enqueue,
      BENCH_CONNECTIONS: JSON.stringify(connections),
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${url}/webhooks/none/none`, child, 404);
    return { url, prefix, pid: child.pid, runs: [] as RunResult[] };
  };

  process.stdout.write(
    `ingress bench: ${ROUNDS} rounds x ${DURATION}s per target after ${WARMUP}s warm-up each, ` +
      `${CONCURRENCY} concurrent HTTP connections, ${WEBHOOK_CONNECTIONS} provider connections ` +
      `(half HMAC-signed JSON POST, half tokened GET pixels)\n`,
  );
  const targets = {
    bullmq: await startBaseline('bullmq', basePrefix),
    lpush: await startBaseline('lpush', lpushPrefix),
    api: { url: apiUrl, prefix: apiPrefix, pid: api.pid, runs: [] as RunResult[] },
  };
  const names = ['bullmq', 'lpush', 'api'] as const;
  for (const target of Object.values(targets)) await load(target.url, connections, WARMUP, []);
  for (let round = 0; round < ROUNDS; round++) {
    // Each target goes first, second and last in turn, so outside load falls on all alike.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const target = targets[name];
      await sql.query('TRUNCATE webhook_logs');
      await emptyQueue(target.prefix);
      const ids: string[] = [];
      const before = {
        server: processCpuMs(target.pid),
        storage: storageCpu(),
        self: process.cpuUsage(),
        machine: machineCpuMs(),
      };
      const measured = await load(target.url, connections, DURATION, ids);
      const server = processCpuMs(target.pid) - before.server;
      const storage = storageCpuSince(before.storage);
      const self = process.cpuUsage(before.self);
      const machine = machineCpuMs();
      const result = await check(name, measured, ids, sql, target.prefix, name === 'api');
      const per1000 = (ms: number) =>
        Number.isFinite(ms) && measured['2xx'] > 0 ? Math.round((ms / measured['2xx']) * 1000) : undefined;
      result.serverCpuMsPer1000 = per1000(server);
      result.storageCpuMsPer1000 = per1000(storage);
      result.loadGeneratorCpuMsPer1000 = per1000((self.user + self.system) / 1000);
      result.machineIdle = Number(
        ((machine.idle - before.machine.idle) / Math.max(1, machine.total - before.machine.total)).toFixed(2),
      );
      target.runs.push(result);
      process.stdout.write(`round ${round + 1} ${line(result)}`);
    }
  }

  const base = summarize(targets.bullmq.runs);
  const lpush = summarize(targets.lpush.runs);
  const apiSummary = summarize(targets.api.runs);
  const roundRatios = (baseline: RunResult[]) =>
    targets.api.runs.map((r, i) => Number((r.acceptedPerSecond / baseline[i].acceptedPerSecond).toFixed(3)));
  const ratio = apiSummary.acceptedPerSecond / base.acceptedPerSecond;
  const lpushRatio = apiSummary.acceptedPerSecond / lpush.acceptedPerSecond;
  const missing = names.reduce((n, name) => n + targets[name].runs.reduce((m, r) => m + r.missing, 0), 0);
  /** api CPU per webhook in µs (ms per 1,000 is µs per one). */
  const apiCpuMicros = apiSummary.serverCpuMsPer1000;
  const summary = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    settings: {
      rounds: ROUNDS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      concurrency: CONCURRENCY,
      webhookConnections: WEBHOOK_CONNECTIONS,
    },
    loadAverageAtStart: LOAD_AT_START,
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
    baseline: base,
    lpushBaseline: lpush,
    api: apiSummary,
    ratio: Number(ratio.toFixed(3)),
    roundRatios: roundRatios(targets.bullmq.runs),
    lpushRatio: Number(lpushRatio.toFixed(3)),
    lpushRoundRatios: roundRatios(targets.lpush.runs),
    apiCpuMicrosPerWebhook: apiCpuMicros,
    runs: { baseline: targets.bullmq.runs, lpushBaseline: targets.lpush.runs, api: targets.api.runs },
    targets: {
      ratioAtLeast1: ratio >= 1,
      lpushRatioAtLeast1: lpushRatio >= 1,
      p99AtMost50ms: apiSummary.p99MsMedian <= 50,
      apiCpuAtMost200Micros: apiCpuMicros !== undefined && apiCpuMicros <= 200,
      noAcknowledgedEventMissing: missing === 0,
    },
  };
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  process.stdout.write(
    `\n${summaryLine('bullmq', base)}${summaryLine('lpush', lpush)}${summaryLine('api', apiSummary)}` +
      `ratio api/bullmq baseline (accepted/s): ${ratio.toFixed(2)} (per round: ${summary.roundRatios.join(', ')})\n` +
      `ratio api/lpush baseline (accepted/s): ${lpushRatio.toFixed(2)} (per round: ${summary.lpushRoundRatios.join(', ')})\n` +
      `api CPU per webhook: ${apiCpuMicros ?? '-'} µs (bullmq baseline ${base.serverCpuMsPer1000 ?? '-'} µs, ` +
      `lpush baseline ${lpush.serverCpuMsPer1000 ?? '-'} µs)\n` +
      `load average at start ${LOAD_AT_START.join(' ')}, at end ${summary.loadAverageAtEnd.join(' ')}\n` +
      `targets: api/bullmq >= 1.0 ${met(summary.targets.ratioAtLeast1)}; ` +
      `api/lpush >= 1.0 ${met(summary.targets.lpushRatioAtLeast1)}; ` +
      `api p99 <= 50 ms ${met(summary.targets.p99AtMost50ms)}; ` +
      `api CPU <= 200 µs/webhook ${met(summary.targets.apiCpuAtMost200Micros)}; ` +
      `acknowledged events missing: ${missing}\n`,
  );
  fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/out/ingress.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write('details: bench/out/ingress.json\n');

  await sql.end();
  await stopChildren();
  for (const prefix of [apiPrefix, basePrefix, lpushPrefix]) await emptyQueue(prefix);
  await admin(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  if (!summary.targets.noAcknowledgedEventMissing) process.exitCode = 1;
}

/** One autocannon run; ids of 2xx answers are collected into `ids`. */
function load(
  url: string,
  connections: BenchConnection[],
  seconds: number,
  ids: string[],
): Promise<autocannon.Result> {
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONCURRENCY,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => ({ ...request, ...nextRequest(connections, n++) }),
            onResponse: (status, body) => {
              if (status >= 200 && status < 300) ids.push((JSON.parse(body) as { id: string }).id);
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function check(
  target: string,
  result: autocannon.Result,
  ids: string[],
  sql: pg.Pool,
  prefix: string,
  withJobs: boolean,
): Promise<RunResult> {
  const unique = [...new Set(ids)];
  let stored = 0;
  for (let i = 0; i < unique.length; i += 10_000) {
    const chunk = unique.slice(i, i + 10_000);
    const { rows } = await sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM webhook_logs WHERE id = ANY($1::uuid[])',
      [chunk],
    );
    stored += Number(rows[0].n);
  }
  const out: RunResult = {
    target,
    acceptedPerSecond: Math.round(result['2xx'] / result.duration),
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p999Ms: (result.latency as unknown as Record<string, number>).p99_9 ?? NaN,
    maxMs: result.latency.max,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    acknowledged: unique.length,
    storedOfAcknowledged: stored,
    missing: unique.length - stored,
  };
  const list = new Redis(redisConnection());
  const queue = new Queue('webhooks', { connection: redisConnection(), prefix });
  try {
    const pushed = await list.llen(baselineListKey(prefix));
    const counts = await queue.getJobCounts(
      'waiting',
      'delayed',
      'active',
      'completed',
      'failed',
      'prioritized',
    );
    out.jobs = pushed + Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
    list.disconnect();
  }
  if (withJobs) {
    const { rows } = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM webhook_logs WHERE status = 'received'`,
    );
    out.rowsWaitingForRelay = Number(rows[0].n);
  }
  const batches = await sql.query<{ n: string; b: string }>(
    'SELECT count(*) AS n, count(DISTINCT created_at) AS b FROM webhook_logs',
  );
  out.rowsPerInsert = Number((Number(batches.rows[0].n) / Math.max(1, Number(batches.rows[0].b))).toFixed(1));
  return out;
}

interface TargetSummary {
  acceptedPerSecond: number;
  p50MsMedian: number;
  p99MsMedian: number;
  p99MsWorst: number;
  ok2xx: number;
  non2xx: number;
  missing: number;
  serverCpuMsPer1000?: number;
  storageCpuMsPer1000?: number;
  rowsPerInsert?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(runs: RunResult[]): TargetSummary {
  const ok = runs.reduce((n, r) => n + r.ok2xx, 0);
  const weighted = (pick: (r: RunResult) => number | undefined) => {
    const known = runs.filter((r) => pick(r) !== undefined);
    const total = known.reduce((n, r) => n + r.ok2xx, 0);
    return total > 0
      ? Math.round(known.reduce((n, r) => n + (pick(r) as number) * r.ok2xx, 0) / total)
      : undefined;
  };
  return {
    acceptedPerSecond: Math.round(ok / (runs.length * DURATION)),
    p50MsMedian: median(runs.map((r) => r.p50Ms)),
    p99MsMedian: median(runs.map((r) => r.p99Ms)),
    p99MsWorst: Math.max(...runs.map((r) => r.p99Ms)),
    ok2xx: ok,
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    missing: runs.reduce((n, r) => n + r.missing, 0),
    serverCpuMsPer1000: weighted((r) => r.serverCpuMsPer1000),
    storageCpuMsPer1000: weighted((r) => r.storageCpuMsPer1000),
    rowsPerInsert: Number((runs.reduce((n, r) => n + (r.rowsPerInsert ?? 0), 0) / runs.length).toFixed(1)),
  };
}

/** Removes a target's BullMQ queue and the lpush baseline's list. */
async function emptyQueue(prefix: string): Promise<void> {
  const queue = new Queue('webhooks', { connection: redisConnection(), prefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  const list = new Redis(redisConnection());
  await list.del(baselineListKey(prefix));
  list.disconnect();
}

function summaryLine(name: string, s: TargetSummary): string {
  return (
    `${name.padEnd(9)} accepted/s ${String(s.acceptedPerSecond).padStart(6)}  p50 ${s.p50MsMedian} ms  ` +
    `p99 ${s.p99MsMedian} ms (worst round ${s.p99MsWorst} ms)  2xx ${s.ok2xx}  non-2xx ${s.non2xx}  missing ${s.missing}  ` +
    `server CPU ${s.serverCpuMsPer1000 ?? '-'} µs/webhook  PG+Redis CPU ${s.storageCpuMsPer1000 ?? '-'} µs/webhook  ` +
    `rows/INSERT ${s.rowsPerInsert}\n`
  );
}

function line(r: RunResult): string {
  return (
    `${r.target.padEnd(9)} accepted/s ${String(r.acceptedPerSecond).padStart(6)}  p50 ${String(r.p50Ms).padStart(4)} ms  ` +
    `p99 ${String(r.p99Ms).padStart(4)} ms  max ${String(r.maxMs).padStart(5)} ms  2xx ${r.ok2xx}  non-2xx ${r.non2xx}  ` +
    `errors ${r.errors}  stored/acknowledged ${r.storedOfAcknowledged}/${r.acknowledged}  jobs ${r.jobs ?? '-'}` +
    `${r.rowsWaitingForRelay !== undefined ? `  rows waiting for relay ${r.rowsWaitingForRelay}` : ''}` +
    `${r.serverCpuMsPer1000 !== undefined ? `  server CPU ${r.serverCpuMsPer1000} µs/webhook` : ''}` +
    `  rows/INSERT ${r.rowsPerInsert ?? '-'}  PG+Redis CPU ${r.storageCpuMsPer1000 ?? '-'} µs/webhook  load generator CPU ${r.loadGeneratorCpuMsPer1000 ?? '-'} µs/webhook  machine idle ${r.machineIdle ?? '-'}\n`
  );
}

/** CPU time of every postgres and redis-server process visible in /proc, in ms, by pid. */
function storageCpu(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name === 'postgres' || name.startsWith('redis-server'))
          out.set(Number(entry), processCpuMs(Number(entry)));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/** CPU used since `before` by the processes alive now (ones that ended meanwhile are not counted). */
function storageCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of storageCpu()) if (Number.isFinite(ms)) total += ms - (before.get(pid) ?? 0);
  return before.size === 0 ? NaN : total;
}

function start(name: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      process.stderr.write(`${name} exited (${code ?? signal}):\n${tail}\n`);
  });
  children.push(child);
  return child;
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function waitFor(url: string, child: ChildProcess, status = 200): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited before answering`);
    try {
      const response = await fetch(url);
      if (response.status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status} within 60 s`);
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function redisConnection() {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`ingress bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  await stopChildren();
  process.exit(1);
});
