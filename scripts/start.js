#!/usr/bin/env node
// `npm start` — the quick start: build, find or start PostgreSQL and Redis, migrate, run the API
// and the worker with the bundled plugins, and feed them from the three provider simulators.
//   npm start                      everything, until Ctrl-C
//   npm start -- --no-simulators   platform only
//   npm start -- --calls-per-second 2
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { resolveDevKeys, writeCliEnv } from './dev-keys.js';
import { ensureServices, redact } from './local-services.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.join(ROOT, '.data');
const args = process.argv.slice(2);
const withSimulators = !args.includes('--no-simulators');
const rateArg = args.indexOf('--calls-per-second');
const rate = rateArg >= 0 ? args[rateArg + 1] : '1';
const port = Number(process.env.PORT ?? 3000);
const workerPort = Number(process.env.WORKER_PORT ?? 3001);
const say = (line) => process.stdout.write(`[start] ${line}\n`);
const children = [];
let services;

function step(label, command, commandArgs, env = process.env) {
  say(label);
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
  if (result.status !== 0) throw new Error(`${label} failed`);
}

/** The Node flags of `npm run start:worker` (its heap settings: docs/pipeline.md, "Memory"). */
function workerNodeArgs() {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return scripts['start:worker'].split(' ').filter((arg) => arg.startsWith('--'));
}

/** Runs a child, prefixing its lines; JSON log lines are shortened to "level message". */
function launch(name, script, env, scriptArgs = [], nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...scriptArgs], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const levels = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
  const print = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      let text = line;
      try {
        const entry = JSON.parse(line);
        text = `${levels[entry.level] ?? entry.level} ${entry.context ? `[${entry.context}] ` : ''}${entry.msg ?? ''}`;
      } catch {
        // not JSON: print as is
      }
      process.stdout.write(`[${name}] ${text}\n`);
    }
  };
  child.stdout.on('data', print);
  child.stderr.on('data', print);
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      say(`${name} exited (${signal ?? code}); stopping`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children.reverse()) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  await services?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function countCalls(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query(
      'SELECT provider, count(*)::int AS n FROM calls GROUP BY provider ORDER BY provider',
    );
    return rows.map((r) => `${r.provider} ${r.n}`).join(', ') || 'none yet';
  } catch {
    return 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One line on the scheduled syncs: per connection, its state, when it last succeeded and what it wrote. */
async function syncSummary(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT provider, state, records_synced AS written,
              extract(epoch FROM now() - last_successful_sync_at)::int AS ago
       FROM sync_status WHERE kind = 'incremental' ORDER BY provider`,
    );
    return (
      rows
        .map(
          (r) => `${r.provider} ${r.state}${r.ago === null ? '' : ` ${r.ago}s ago`} (${r.written} written)`,
        )
        .join(', ') || 'first runs pending'
    );
  } catch {
    return 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main() {
  step('building (prisma generate + tsc -b)', 'npm', ['run', '--silent', 'build']);
  services = await ensureServices({ log: say });
  // Stored connections must stay decryptable: the key is kept in .data, and never replaced while
  // the database holds connections under another one (see dev-keys.js).
  const { keys, generated } = await resolveDevKeys({
    databaseUrl: services.databaseUrl,
    dataDir: DATA,
    describeDatabase: redact,
  });
  if (generated) say('generated ENCRYPTION_KEYS (kept in .data/dev-secrets.json)');
  const env = {
    ...process.env,
    ENCRYPTION_KEYS: keys,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    PORT: String(port),
    WORKER_PORT: String(workerPort),
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    LOG_REQUESTS: process.env.LOG_REQUESTS ?? 'false',
    // The simulators' connections use loopback API base URLs, not the hosts the plugins declare.
    ALLOW_CUSTOM_API_BASE_URLS: process.env.ALLOW_CUSTOM_API_BASE_URLS ?? 'true',
  };
  say(`PostgreSQL ${redact(services.databaseUrl)}, Redis ${services.redisUrl}`);
  // The CLI (npx switchboard …) reads this when the variables are not set.
  writeCliEnv(path.join(DATA, 'switchboard.env'), {
    DATABASE_URL: env.DATABASE_URL,
    REDIS_URL: env.REDIS_URL,
    ENCRYPTION_KEYS: env.ENCRYPTION_KEYS,
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL,
  });
  step('applying migrations', process.execPath, ['apps/cli/bin/switchboard.js', 'migrate'], env);

  launch('api', 'apps/api/dist/main.js', env);
  launch('worker', 'apps/worker/dist/main.js', env, [], workerNodeArgs());
  const base = env.PUBLIC_BASE_URL;
  await waitReady(`http://127.0.0.1:${port}/health/ready`);

  if (withSimulators) {
    launch('simulate', 'test/simulators/dist/cli.js', env, [
      '--provider',
      'all',
      '--switchboard',
      `http://127.0.0.1:${port}`,
      '--calls-per-second',
      rate,
    ]);
  }

  say('');
  say(`Switchboard is running:`);
  say(`  web console    ${base}/console/  (ADMIN_TOKEN or an API key; none if unset)`);
  say(`  API            ${base}`);
  say(`  API docs       ${base}/docs`);
  say(`  health         ${base}/health/ready`);
  say(`  metrics        ${base}/metrics  (worker: http://localhost:${workerPort}/metrics)`);
  say(`  plugins        ${base}/plugins`);
  say(`  calls          ${base}/calls`);
  say('  CLI            npx switchboard status (reads .data/switchboard.env)');
  say(
    withSimulators
      ? '  simulators for ringba, retreaver and trackdrive are sending calls, and their history is\n' +
          '  synced every minute (npx switchboard sync status); Ctrl-C stops everything'
      : '  Ctrl-C stops everything',
  );
  say('');
  setInterval(async () => {
    say(`calls stored: ${await countCalls(services.databaseUrl)}`);
    if (withSimulators) say(`history sync:  ${await syncSummary(services.databaseUrl)}`);
  }, 10_000).unref();
}

main().catch(async (error) => {
  process.stderr.write(`[start] ${error.message}\n`);
  await shutdown(1);
});
