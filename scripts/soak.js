#!/usr/bin/env node
// `npm run soak`: the built API and worker under steady webhook load for a long time (30 minutes by
// default), sampling memory (RSS of each process), queue depth and the inbox backlog every 10 s, to
// show they stay flat. Uses the local PostgreSQL and Redis (a fresh database, its own Redis prefix),
// cleans up after itself and writes the samples to bench/out/soak-<time>.json.
//   npm run soak                                  30 minutes at 100 webhooks/s
//   SOAK_MINUTES=10 SOAK_RATE=150 npm run soak
//   SOAK_DATABASE_URL / SOAK_REDIS_URL            admin PostgreSQL URL and Redis URL to use
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { CALL_LIFECYCLES, newCallSpec, tokenValues } from '../bench/dist/pipeline/webhook-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const rate = Number(process.env.SOAK_RATE ?? 100);
const sampleEveryMs = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const adminUrl =
  process.env.SOAK_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.SOAK_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const log = (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

const dbName = `sb_soak_${Date.now()}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const prefix = `sb-soak-${randomBytes(3).toString('hex')}`;
const apiPort = await freePort();
const adminToken = `soak-admin-${randomBytes(16).toString('hex')}`;
const env = {
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: prefix,
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  ADMIN_TOKEN: adminToken,
  PORT: String(apiPort),
  HOST: '127.0.0.1',
  PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
  LOG_LEVEL: 'warn',
  LOG_REQUESTS: 'false',
  WORKER_PORT: '0',
};
const migrated = spawnSync(process.execPath, ['apps/cli/bin/switchboard.js', 'migrate'], {
  cwd: ROOT,
  env,
  encoding: 'utf8',
});
if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr || migrated.stdout}`);

const children = [];
function start(file) {
  const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (d) =>
    process.stderr.write(`[${path.basename(path.dirname(path.dirname(file)))}] ${d}`),
  );
  children.push(child);
  return child;
}
const api = start('apps/api/dist/main.js');
const worker = start('apps/worker/dist/main.js');
const base = `http://127.0.0.1:${apiPort}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health/live`)).ok) break;
  } catch {
    /* not up yet */
  }
  if (i > 1200) {
    for (const child of children) child.kill('SIGKILL');
    throw new Error('the API did not start within 2 minutes');
  }
  await sleep(100);
}
const call = async (method, url, body) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
};
const created = await call('POST', '/connections', {
  provider: 'retreaver',
  name: 'soak',
  credentials: { apiKey: 'soak-api-key', companyId: '1234' },
  validate: false,
});
const connectionId = created.connection.id;
const { items: templates } = await call('GET', `/connections/${connectionId}/webhook-templates`);
const byTrigger = new Map(templates.map((t) => [t.trigger, t]));

const redis = new URL(redisUrl);
const queue = new Queue('webhooks', {
  connection: {
    host: redis.hostname,
    port: Number(redis.port || 6379),
    password: redis.password ? decodeURIComponent(redis.password) : undefined,
  },
  prefix,
});
const sql = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
const samples = [];
const counts = { sent: 0, acknowledged: 0, duplicate: 0, refused: 0, errors: 0 };
const acknowledgedIds = [];

async function deliver(index) {
  const spec = newCallSpec('retreaver', index, new Date(Date.now() - 60_000));
  for (const [step, trigger] of CALL_LIFECYCLES.retreaver.entries()) {
    const template = byTrigger.get(trigger);
    if (!template) continue;
    const values = tokenValues(spec, trigger, new Date(spec.startedAt.getTime() + step * 1000));
    const fill = (text, encode) => text.replace(/\[([^\]]+)\]/g, (_, t) => encode(values[t] ?? ''));
    const url = new URL(fill(template.url, encodeURIComponent));
    counts.sent++;
    try {
      const res = await fetch(`${base}${url.pathname}${url.search}`, {
        method: template.method,
        headers: {
          ...(template.headers ?? {}),
          ...(template.contentType ? { 'content-type': template.contentType } : {}),
        },
        body: template.body ? fill(template.body, (v) => JSON.stringify(v).slice(1, -1)) : undefined,
      });
      const body = await res.json().catch(() => ({}));
      if (res.status === 202) {
        counts.acknowledged++;
        acknowledgedIds.push(body.id);
      } else if (res.status === 200) counts.duplicate++;
      else counts.refused++;
    } catch {
      counts.errors++;
    }
  }
}

async function sample(phase) {
  const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  const { rows } = await sql.query(
    `SELECT count(*) FILTER (WHERE status IN ('received', 'queued'))::int AS backlog, count(*)::int AS rows FROM webhook_logs`,
  );
  const s = {
    at: new Date().toISOString(),
    phase,
    apiRssMb: rssMb(api.pid),
    workerRssMb: rssMb(worker.pid),
    queueDepth: jobs.waiting + jobs.active + jobs.delayed + jobs.prioritized,
    inboxBacklog: rows[0].backlog,
    rows: rows[0].rows,
    ...counts,
  };
  samples.push(s);
  log(
    `${phase} api ${s.apiRssMb} MB, worker ${s.workerRssMb} MB, queue ${s.queueDepth}, backlog ${s.inboxBacklog}, rows ${s.rows}, acknowledged ${counts.acknowledged}`,
  );
}

log(
  `soak: ${minutes} min at ~${rate} webhooks/s (Retreaver lifecycles), database ${dbName}, Redis prefix ${prefix}`,
);
const started = Date.now();
const endAt = started + minutes * 60_000;
const perCall = CALL_LIFECYCLES.retreaver.length;
let nextSample = started;
let index = 0;
const inFlight = new Set();
while (Date.now() < endAt) {
  const due = started + (index * perCall * 1000) / rate;
  if (due > Date.now()) await sleep(due - Date.now());
  while (inFlight.size > 200) await sleep(1);
  const p = deliver(index++).finally(() => inFlight.delete(p));
  inFlight.add(p);
  if (Date.now() >= nextSample) {
    nextSample += sampleEveryMs;
    void sample('load');
  }
}
await Promise.all(inFlight);
log('load stopped; waiting for the worker to drain');
const drainStart = Date.now();
for (;;) {
  await sample('drain');
  const last = samples[samples.length - 1];
  if ((last.queueDepth === 0 && last.inboxBacklog === 0) || Date.now() - drainStart > 300_000) break;
  await sleep(5_000);
}
const { rows: stored } = await sql.query(
  `SELECT count(*)::int AS stored, count(*) FILTER (WHERE status = 'processed')::int AS processed FROM webhook_logs WHERE id = ANY($1::uuid[])`,
  [acknowledgedIds],
);
const calls = (await sql.query('SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS d FROM calls'))
  .rows[0];

const load = samples.filter((s) => s.phase === 'load');
const quarter = Math.max(1, Math.floor(load.length / 4));
const avg = (list, key) => Math.round(list.reduce((sum, s) => sum + s[key], 0) / Math.max(1, list.length));
const summary = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  minutes: Math.round(((Date.now() - started) / 60_000) * 10) / 10,
  loadMinutes: minutes,
  ratePerSecond: rate,
  ...counts,
  stored: stored[0].stored,
  processed: stored[0].processed,
  calls: calls.n,
  duplicateCalls: calls.n - calls.d,
  memory: {
    apiFirstQuarterMb: avg(load.slice(0, quarter), 'apiRssMb'),
    apiLastQuarterMb: avg(load.slice(-quarter), 'apiRssMb'),
    workerFirstQuarterMb: avg(load.slice(0, quarter), 'workerRssMb'),
    workerLastQuarterMb: avg(load.slice(-quarter), 'workerRssMb'),
  },
  queueDepth: {
    max: Math.max(...load.map((s) => s.queueDepth)),
    firstQuarterAvg: avg(load.slice(0, quarter), 'queueDepth'),
    lastQuarterAvg: avg(load.slice(-quarter), 'queueDepth'),
  },
  inboxBacklogMax: Math.max(...load.map((s) => s.inboxBacklog)),
};
fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
const outFile = path.join(ROOT, `bench/out/soak-${summary.date.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(outFile, JSON.stringify({ summary, samples }, null, 2));
log(`summary: ${JSON.stringify(summary)}`);
log(`samples: ${outFile}`);

for (const child of children) child.kill('SIGTERM');
await sleep(3_000);
for (const child of children) child.kill('SIGKILL');
await queue.obliterate({ force: true }).catch(() => undefined);
await queue.close();
await sql.end();
await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
await admin.end();
process.exit(summary.stored === summary.acknowledged && summary.duplicateCalls === 0 ? 0 : 1);
