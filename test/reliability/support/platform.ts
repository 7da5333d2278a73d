import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { ADMIN_DATABASE_URL } from '../../support/services.js';
import { uniqueRedisPrefix } from '../../support/redis.js';
import { PrivateRedis, TcpProxy, freePort, waitUntil } from './services.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
const API = path.join(ROOT, 'apps/api/dist/main.js');
const WORKER = path.join(ROOT, 'apps/worker/dist/main.js');

export interface AppProcess {
  kind: 'api' | 'worker';
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The secrets a run hands the platform, which must never show up in a log line or a response. */
export interface RunSecrets {
  encryptionKey: string;
  adminToken: string;
  databasePassword: string;
  redisPassword: string;
  /** Webhook secrets and provider credentials, added as connections are created. */
  more: string[];
}

/**
 * Switchboard as an operator runs it, for fault tests: the built API and worker as child processes
 * (so they can be SIGKILLed), a cloned database reached through a TCP proxy (so PostgreSQL can
 * "crash"), a private password-protected redis-server (so Redis can crash, with or without its
 * data). Every byte the processes print is kept for the secret-hygiene check.
 */
export class Platform {
  db!: TestDatabase;
  proxy!: TcpProxy;
  redis!: PrivateRedis;
  sql!: pg.Pool;
  apiPort = 0;
  env: Record<string, string> = {};
  secrets!: RunSecrets;
  readonly processes: AppProcess[] = [];
  private output = '';

  static async start(env: Record<string, string> = {}): Promise<Platform> {
    const p = new Platform();
    p.db = await createTestDatabase();
    const admin = new URL(ADMIN_DATABASE_URL);
    p.proxy = await TcpProxy.start({ host: admin.hostname, port: Number(admin.port || 5432) });
    p.redis = await PrivateRedis.start();
    p.apiPort = await freePort();
    // Trust authentication ignores the password; it is there to prove no log ever prints it.
    const databasePassword = `rel-db-${randomBytes(9).toString('hex')}`;
    const databaseUrl = new URL(p.db.url);
    databaseUrl.password = databasePassword;
    databaseUrl.port = String(p.proxy.port);
    const encryptionKey = randomBytes(32).toString('base64');
    const adminToken = `rel-admin-${randomBytes(16).toString('hex')}`;
    p.secrets = {
      encryptionKey,
      adminToken,
      databasePassword,
      redisPassword: p.redis.password,
      more: [],
    };
    p.env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: p.redis.url,
      REDIS_PREFIX: uniqueRedisPrefix('rel'),
      ENCRYPTION_KEYS: `k1:${encryptionKey}`,
      ADMIN_TOKEN: adminToken,
      PORT: String(p.apiPort),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://127.0.0.1:${p.apiPort}`,
      LOG_LEVEL: 'info',
      WORKER_PORT: '0',
      // A killed worker's jobs come back after about lock + check interval: seconds.
      WORKER_LOCK_DURATION_MS: '3000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      ...env,
    };
    p.sql = new pg.Pool({ connectionString: p.db.url, max: 4 });
    return p;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  /** Everything the processes printed so far. */
  logs(): string {
    return this.output;
  }

  private spawn(kind: AppProcess['kind'], env: Record<string, string>): AppProcess {
    const child = spawn(process.execPath, [kind === 'api' ? API : WORKER], {
      cwd: ROOT,
      env: { ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (d: Buffer) => (this.output += d.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // stop() kills every process; none of them (nor their pipes) may keep Jest running after that.
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const handle = { kind, child, exited };
    this.processes.push(handle);
    return handle;
  }

  async startApi(): Promise<AppProcess> {
    const api = this.spawn('api', {});
    await waitUntil(
      async () => (await fetch(`${this.apiBase}/health/live`)).ok,
      // A cold start on a busy two-core machine has taken over 30 s.
      120_000,
      `the API to listen (output so far:\n${this.output.slice(-2000)})`,
    );
    return api;
  }

  startWorker(env: Record<string, string> = {}): AppProcess {
    return this.spawn('worker', env);
  }

  async kill(process: AppProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (process.child.exitCode !== null || process.child.signalCode !== null) return;
    process.child.kill(signal);
    await process.exited;
  }

  /** Admin API call (JSON). */
  async admin<T>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.apiBase}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${this.secrets.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async count(query: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.sql.query<Record<string, string>>(query, params);
    return Number(Object.values(rows[0])[0]);
  }

  async stop(): Promise<void> {
    for (const p of this.processes) await this.kill(p).catch(() => undefined);
    await this.proxy?.cut().catch(() => undefined);
    await this.redis?.stop().catch(() => undefined);
    await this.sql?.end().catch(() => undefined);
    await this.db?.drop().catch(() => undefined);
  }
}
