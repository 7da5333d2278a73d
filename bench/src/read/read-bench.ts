// `npm run bench:read`: the read side of the API over a large table, against targets from issue 12.
//
// 1. A fresh, migrated database; the built API (apps/api/dist/main.js, NODE_ENV=production,
//    LOG_REQUESTS=false) as a child process; three connections (Ringba, Retreaver, TrackDrive)
//    created through POST /connections.
// 2. BENCH_CALLS calls (default 1,000,000) over the last 365 days, inserted with one
//    generate_series statement per connection, then ANALYZE.
// 3. autocannon (BENCH_CONCURRENCY connections, BENCH_SECONDS per case):
//    - GET /calls/:id cached (a working set that was read once, so it is in Redis) and uncached
//      (every request a different call nobody read yet: the database, then a cache write);
//    - GET /calls first pages and deep pages (a cursor 300,000 rows in) with and without filters;
//    - GET /reports/calls for one month (groupBy day in America/New_York, and provider), timed
//      one after another.
// Prints the figures with the targets (cached p99 <= 5 ms, list p99 <= 50 ms, month report
// <= 1 s, cached >= 3x uncached) and writes bench/out/read-<timestamp>.json.
//
// Environment: BENCH_CALLS, BENCH_SECONDS (10), BENCH_CONCURRENCY (10), BENCH_KEEP_DB=1,
// TEST_DATABASE_URL / TEST_REDIS_URL (admin URLs, as the tests use).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrate } from '@switchboard/persistence';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const API = path.join(ROOT, 'apps/api/dist/main.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
// e.g. BENCH_ONLY="cached" runs only the cases whose name contains one of the words (profiling)
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const selected = (name: string) => !ONLY || ONLY.some((word) => name.includes(word));
const PORT = 3900 + Math.floor(Math.random() * 90);
const CREDENTIALS: Record<string, Record<string, string>> = {
  ringba: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
  retreaver: { apiKey: 'retreaver-api-key', companyId: '1234' },
  trackdrive: {
    subdomain: 'acme',
    publicKey: 'tdpub_5f1c0a7e9b3d4c2a8e6f0b1d3c5a7e9f',
    privateKey: 'tdprv_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
  },
};

interface CaseResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const dbName = `sb_bench_read_${randomBytes(4).toString('hex')}`;
  const dbUrl = withDatabase(ADMIN_URL, dbName);
  const adminToken = randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${PORT}`;
  log(
    `read benchmark: ${CALLS.toLocaleString('en-US')} calls, ${CONCURRENCY} connections, ${SECONDS} s per case`,
  );
  log(
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await migrate({
    databaseUrl: dbUrl,
    migrationsDir: path.join(ROOT, 'prisma/migrations'),
    createDatabase: true,
  });
  const sql = new pg.Pool({ connectionString: dbUrl, max: 4 });
  let api: ChildProcess | undefined;
  try {
    // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the api under load
    const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
    api = spawn(process.execPath, [...nodeArgs, API], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATABASE_URL: dbUrl,
        REDIS_URL,
        REDIS_PREFIX: `sbbench-read-${randomBytes(4).toString('hex')}`,
        ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        ADMIN_TOKEN: adminToken,
        LOG_REQUESTS: 'false',
        LOG_LEVEL: 'warn',
      },
    });
    await waitReady(`${base}/health/ready`);
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const connections: Array<{ id: string; provider: string }> = [];
    for (const provider of Object.keys(CREDENTIALS)) {
      const res = await fetch(`${base}/connections`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          provider,
          name: `bench ${provider}`,
          credentials: CREDENTIALS[provider],
          validate: false,
        }),
      });
      if (res.status !== 201)
        throw new Error(`creating a ${provider} connection: ${res.status} ${await res.text()}`);
      connections.push({
        id: ((await res.json()) as { connection: { id: string } }).connection.id,
        provider,
      });
    }

    const seeded = performance.now();
    const perConnection = Math.ceil(CALLS / connections.length);
    for (const [i, c] of connections.entries()) {
      await sql.query(SEED_SQL, [c.id, c.provider, perConnection, i]);
    }
    await sql.query('ANALYZE calls');
    const { rows: counted } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM calls');
    log(
      `seeded ${Number(counted[0]?.n).toLocaleString('en-US')} calls in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );

    const ids = (
      await sql.query<{ id: string }>('SELECT id FROM calls ORDER BY random() LIMIT 250000')
    ).rows.map((r) => r.id);
    const hot = ids.slice(0, 1_000);
    const cold = ids.slice(1_000);
    for (const id of hot) await fetch(`${base}/calls/${id}`, { headers });

    const results: CaseResult[] = [];
    const run = async (name: string, paths: () => string) => {
      if (!selected(name)) return undefined;
      const result = await load(base, adminToken, paths);
      const r: CaseResult = {
        name,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        maxMs: result.latency.max,
        non2xx: result.non2xx,
        errors: result.errors,
      };
      results.push(r);
      log(
        `${name.padEnd(46)} ${String(r.requestsPerSecond).padStart(6)}/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  max ${r.maxMs} ms  non-2xx ${r.non2xx}`,
      );
      return r;
    };
    let h = 0;
    let c = 0;
    const cached = await run('GET /calls/:id cached', () => `/calls/${hot[h++ % hot.length]}`);
    const uncached = await run(
      'GET /calls/:id uncached (database)',
      () => `/calls/${cold[c++ % cold.length]}`,
    );

    // 300,000 rows in (or 30% of a smaller table).
    const depth = Math.min(300_000, Math.floor(CALLS * 0.3));
    const deep = await deepCursor(sql, depth);
    const ringba = connections[0] as { id: string };
    await deep.load([ringba.id]);
    const listCases: Array<[string, string]> = [
      ['GET /calls first page', '/calls?limit=50'],
      ['GET /calls first page, provider+status', '/calls?provider=ringba&status=completed&limit=50'],
      [
        'GET /calls first page, connection+month',
        `/calls?connection=${ringba.id}&from=2026-10-01&to=2026-11-01&limit=50`,
      ],
      ['GET /calls first page, campaign', '/calls?campaign=CMP7&limit=50'],
      [`GET /calls deep page (${depth.toLocaleString('en-US')} in)`, `/calls?limit=50&cursor=${deep.all}`],
      [
        'GET /calls deep page, connection filter',
        `/calls?connection=${ringba.id}&limit=50&cursor=${deep.ofConnection(ringba.id)}`,
      ],
    ];
    const lists: CaseResult[] = [];
    for (const [name, url] of listCases) {
      const result = await run(name, () => url);
      if (result) lists.push(result);
    }

    const reports: Array<{ name: string; ms: number[] }> = [];
    for (const [name, url] of [
      [
        'month report by day (America/New_York)',
        '/reports/calls?from=2026-10-01&to=2026-11-01&groupBy=day&tz=America/New_York',
      ],
      ['month report by provider', '/reports/calls?from=2026-10-01&to=2026-11-01&groupBy=provider'],
      ['month report by campaign', '/reports/calls?from=2026-10-01&to=2026-11-01&groupBy=campaign'],
    ] as const) {
      if (!selected(name)) continue;
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const res = await fetch(`${base}${url}`, { headers });
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        ms.push(Math.round(performance.now() - started));
      }
      reports.push({ name, ms });
      log(`${name.padEnd(46)} ${ms.join(', ')} ms`);
    }

    // A partial run (BENCH_ONLY) is for profiling: no verdicts, no results file.
    if (ONLY || !cached || !uncached) return;
    const ratio = cached.requestsPerSecond / Math.max(uncached.requestsPerSecond, 1);
    const worstList = Math.max(...lists.map((l) => l.p99Ms));
    const worstReport = Math.max(...reports.flatMap((r) => r.ms));
    const targets = {
      cachedP99AtMost5ms: cached.p99Ms <= 5,
      listP99AtMost50ms: worstList <= 50,
      monthReportAtMost1s: worstReport <= 1000,
      cachedAtLeast3xUncached: ratio >= 3,
    };
    log('');
    log(`cached p99 ${cached.p99Ms} ms (target <= 5): ${targets.cachedP99AtMost5ms ? 'met' : 'NOT met'}`);
    log(
      `worst list page p99 ${worstList} ms (target <= 50): ${targets.listP99AtMost50ms ? 'met' : 'NOT met'}`,
    );
    log(
      `slowest month report ${worstReport} ms (target <= 1000): ${targets.monthReportAtMost1s ? 'met' : 'NOT met'}`,
    );
    log(
      `cached / uncached rate ${ratio.toFixed(2)}x (target >= 3): ${targets.cachedAtLeast3xUncached ? 'met' : 'NOT met'}`,
    );
    const out = path.join(ROOT, 'bench/out');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `read-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          calls: CALLS,
          concurrency: CONCURRENCY,
          seconds: SECONDS,
          loadavg: os.loadavg(),
          results,
          reports,
          ratio,
          targets,
        },
        null,
        2,
      ),
    );
    log(`written to ${path.relative(ROOT, file)}`);
  } finally {
    api?.kill('SIGTERM');
    await sql.end();
    if (!process.env.BENCH_KEEP_DB) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    }
  }
}

/**
 * One connection's calls: spread over the 365 days before 2026-11-20, 60% completed and answered
 * (a third of those converted, with revenue and payout), the rest missed/busy/failed; 40 campaigns,
 * 25 publishers.
 */
const SEED_SQL = `
INSERT INTO calls (connection_id, provider, external_id, status, campaign_external_id, campaign_name,
                   started_at, answered_at, ended_at, duration_seconds, connected_duration_seconds,
                   converted, revenue, payout, tags, last_event_at)
SELECT $1::uuid, $2::text, $2::text || '-' || $4::int || '-' || g,
       (CASE WHEN g % 10 < 6 THEN 'completed' WHEN g % 10 < 8 THEN 'missed' WHEN g % 10 = 8 THEN 'busy' ELSE 'failed' END)::call_status,
       'CMP' || (g % 40), 'Campaign ' || (g % 40),
       t, CASE WHEN g % 10 < 6 THEN t + interval '5 seconds' END, t + ((g % 600) || ' seconds')::interval,
       g % 600, CASE WHEN g % 10 < 6 THEN g % 590 END,
       CASE WHEN g % 10 < 6 THEN g % 3 = 0 END,
       CASE WHEN g % 10 < 6 AND g % 3 = 0 THEN ((g % 5000) / 100.0)::numeric(14,4) END,
       CASE WHEN g % 10 < 6 AND g % 3 = 0 THEN ((g % 3000) / 100.0)::numeric(14,4) END,
       jsonb_build_object('publisherId', 'PUB' || (g % 25)),
       t + ((g % 600) || ' seconds')::interval
FROM generate_series(1, $3::int) AS g,
     LATERAL (SELECT timestamptz '2026-11-20T00:00:00Z' - (((g::bigint * 7919) % 31536000) || ' seconds')::interval AS t) AS s`;

/** Cursors the API would hand out after `offset` rows: all calls, and one connection's. */
async function deepCursor(sql: pg.Pool, offset: number) {
  const cursorOf = (row: { id: string; position_us: string }) =>
    Buffer.from(JSON.stringify({ t: row.position_us, i: row.id })).toString('base64url');
  const query = (where: string, params: unknown[]) =>
    sql.query<{ id: string; position_us: string }>(
      `SELECT id, (extract(epoch FROM started_at) * 1000000)::bigint::text AS position_us FROM calls ${where}
       ORDER BY started_at DESC NULLS LAST, id DESC OFFSET ${offset} LIMIT 1`,
      params,
    );
  const all = cursorOf((await query('', [])).rows[0] as { id: string; position_us: string });
  const byConnection = new Map<string, string>();
  return {
    all,
    ofConnection: (id: string) => byConnection.get(id) as string,
    async load(ids: string[]) {
      for (const id of ids) {
        const { rows } = await query('WHERE connection_id = $1', [id]);
        byConnection.set(id, cursorOf(rows[0] as { id: string; position_us: string }));
      }
    },
  };
}

function load(base: string, adminToken: string, next: () => string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections: CONCURRENCY,
        duration: SECONDS,
        pipelining: 1,
        timeout: 10,
        headers: { authorization: `Bearer ${adminToken}` },
        requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', path: next() }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not become ready at ${url}`);
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `read benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
