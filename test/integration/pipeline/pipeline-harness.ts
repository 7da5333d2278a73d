import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { AppConfig } from '@switchboard/config';
import { ConnectionAdapters, ConnectionService } from '@switchboard/connections';
import { discoverPlugins, type DiscoveryResult, type WebhookTemplate } from '@switchboard/core';
import { assignWebhookJobs, webhookJob, webhookJobsFor } from '@switchboard/ingress';
import { WebhookInboxRepository, type CallRow, type WebhookLogRow } from '@switchboard/persistence';
import type { WebhookWorkerOptions } from '@switchboard/pipeline';
import { QueueName } from '@switchboard/queue';
import { createApiApp } from '../../../apps/api/src/api-app.js';
import { createWorkerApp } from '../../../apps/worker/src/worker-app.js';
import {
  acceptedInboxRow,
  callWebhooks,
  newCallSpec,
  type CallSpec,
  type RenderedWebhook,
} from '../../../bench/src/pipeline/webhook-fixtures.js';
import { testConfig } from '../../support/app-config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { uniqueRedisPrefix } from '../../support/redis.js';
import { TEST_REDIS_URL } from '../../support/services.js';

export const ROOT = new URL('../../..', import.meta.url).pathname;

export const CREDENTIALS: Record<string, Record<string, string>> = {
  ringba: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
  retreaver: { apiKey: 'retreaver-api-key', companyId: '1234' },
  trackdrive: { subdomain: 'acme', publicKey: 'public-key', privateKey: 'private-key' },
};

export const ADMIN_TOKEN = 'admin-token-for-pipeline-tests-0123456789';

export interface TestConnection {
  id: string;
  provider: string;
  templates: WebhookTemplate[];
}

/** Fast retries for tests: milliseconds instead of seconds. */
export const FAST_RETRY: WebhookWorkerOptions = { retry: { baseDelayMs: 20, maxDelayMs: 100 } };

/**
 * A database, a Redis prefix and any number of worker (and API) applications in this process,
 * plus helpers that accept webhooks the way the ingress does (inbox row with status `queued`,
 * then a job whose id is the row id).
 */
export class PipelineHarness {
  db!: TestDatabase;
  prefix!: string;
  config!: AppConfig;
  discovery!: DiscoveryResult;
  sql!: pg.Pool;
  queue!: Queue;
  workers: NestFastifyApplication[] = [];
  apis: NestFastifyApplication[] = [];
  /** The environment every app of the harness gets (child processes need the same). */
  env: Record<string, string> = {};

  static async start(
    options: { env?: Record<string, string>; workers?: number; worker?: WebhookWorkerOptions } = {},
  ) {
    const h = new PipelineHarness();
    h.db = await createTestDatabase();
    h.prefix = uniqueRedisPrefix('pipe');
    h.discovery = await discoverPlugins({ rootDir: ROOT });
    h.env = {
      DATABASE_URL: h.db.url,
      REDIS_PREFIX: h.prefix,
      ADMIN_TOKEN,
      // One key for every app of the harness, so they all read the connections' secrets.
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      WORKER_BATCH_WAIT_MS: '5',
      // Child-process workers too: scheduled syncs would call the providers on their own.
      SYNC_SCHEDULE_ENABLED: 'false',
      ...options.env,
    };
    h.config = testConfig(h.env);
    h.sql = new pg.Pool({ connectionString: h.db.url, max: 4 });
    h.queue = new Queue(QueueName.Webhooks, { connection: redisConnection(), prefix: h.prefix });
    for (let i = 0; i < (options.workers ?? 1); i++) await h.startWorker(options.worker ?? FAST_RETRY);
    return h;
  }

  /** Another worker process (in this process): same database, same queue. */
  async startWorker(
    options: WebhookWorkerOptions = FAST_RETRY,
    env: Record<string, string> = {},
  ): Promise<NestFastifyApplication> {
    const app = await createWorkerApp(testConfig({ ...this.env, ...env }), this.discovery, {
      pipeline: options,
    });
    await app.init();
    this.workers.push(app);
    return app;
  }

  async startApi(): Promise<NestFastifyApplication> {
    const app = await createApiApp(testConfig(this.env), this.discovery);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    this.apis.push(app);
    return app;
  }

  /** An application to reach the platform's services through (a worker, else an API). */
  get app(): NestFastifyApplication {
    const app = this.workers[0] ?? this.apis[0];
    if (!app) throw new Error('the harness runs no application: start a worker or an API first');
    return app;
  }

  async createConnection(provider: string): Promise<TestConnection> {
    const { connection, webhookSecret } = await this.app.get(ConnectionService).create({
      provider,
      name: `${provider} pipeline test`,
      credentials: CREDENTIALS[provider],
      validate: false,
    });
    const { adapter } = await this.app.get(ConnectionAdapters).forId(connection.id);
    const templates = adapter.webhookTemplates({
      url: `http://localhost:3000/webhooks/${provider}/${connection.id}`,
      secret: webhookSecret,
    });
    return { id: connection.id, provider, templates };
  }

  /** The lifecycle webhooks of `count` new calls of a connection, rendered from its templates. */
  async lifecycle(connection: TestConnection, count: number, start = Date.parse('2026-11-20T10:00:00.000Z')) {
    const { adapter } = await this.app.get(ConnectionAdapters).forId(connection.id);
    const calls: CallSpec[] = [];
    const webhooks: RenderedWebhook[] = [];
    for (let i = 0; i < count; i++) {
      const call = newCallSpec(connection.provider, i, new Date(start + i * 60_000));
      calls.push(call);
      webhooks.push(...callWebhooks(adapter, connection.templates, call));
    }
    return { calls, webhooks };
  }

  /** Writes inbox rows as the ingress does (status queued) and returns their ids, without enqueueing. */
  async insertRows(connection: TestConnection, webhooks: readonly RenderedWebhook[]): Promise<string[]> {
    const { adapter } = await this.app.get(ConnectionAdapters).forId(connection.id);
    // Deliveries in these tests may repeat on purpose (as separate rows): no dedup key.
    const rows = webhooks.map((w) => acceptedInboxRow({ ...connection, adapter }, w, '127.0.0.1'));
    const repository = this.app.get(WebhookInboxRepository);
    for (let i = 0; i < rows.length; i += 500) await repository.insertMany(rows.slice(i, i + 500));
    return rows.map((r) => r.id);
  }

  /** Enqueues the rows' jobs exactly as the ingress does (job id = row id). */
  async enqueue(connection: TestConnection, ids: readonly string[], receivedAt = new Date()): Promise<void> {
    const jobs = ids.map((id) =>
      webhookJob(
        { id, connectionId: connection.id, provider: connection.provider, receivedAt },
        this.config.webhook.maxAttempts,
      ),
    );
    for (let i = 0; i < jobs.length; i += 1000) await this.queue.addBulk(jobs.slice(i, i + 1000));
  }

  /** Enqueues the rows in one batch job, as a busy ingress does (their job_id written too); returns its id. */
  async enqueueBatch(
    connection: TestConnection,
    ids: readonly string[],
    receivedAt = new Date(),
  ): Promise<string> {
    const rows = ids.map((id) => ({
      id,
      connectionId: connection.id,
      provider: connection.provider,
      receivedAt,
    }));
    assignWebhookJobs(rows);
    const jobId = rows[0].jobId as string;
    await this.sql.query('UPDATE webhook_logs SET job_id = $1 WHERE id = ANY($2::uuid[])', [jobId, ids]);
    const [job] = webhookJobsFor(rows, this.config.webhook.maxAttempts);
    await this.queue.add(job.name, job.data, job.opts);
    return jobId;
  }

  async accept(connection: TestConnection, webhooks: readonly RenderedWebhook[]): Promise<string[]> {
    const ids = await this.insertRows(connection, webhooks);
    await this.enqueue(connection, ids);
    return ids;
  }

  /** Waits until no webhook job is waiting, delayed or running. */
  async drained(timeoutMs = 30_000): Promise<void> {
    await waitFor(async () => {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    }, timeoutMs);
  }

  async log(id: string): Promise<WebhookLogRow> {
    const { rows } = await this.sql.query<WebhookLogRow>('SELECT * FROM webhook_logs WHERE id = $1', [id]);
    return rows[0];
  }

  async calls(connectionId: string): Promise<CallRow[]> {
    const { rows } = await this.sql.query<CallRow>(
      'SELECT * FROM calls WHERE connection_id = $1 ORDER BY external_id',
      [connectionId],
    );
    return rows;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.sql.query<Record<string, string>>(sql, params);
    return Number(Object.values(rows[0])[0]);
  }

  async stop(): Promise<void> {
    for (const app of [...this.apis, ...this.workers]) await app.close().catch(() => undefined);
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    // The cache entries and the live stream of this prefix too.
    const redis = (await this.queue?.client) as unknown as Parameters<typeof unlinkPrefix>[0] | undefined;
    if (redis) await unlinkPrefix(redis, this.prefix);
    await this.queue?.close();
    await this.sql?.end();
    await this.db?.drop();
  }
}

/** Deletes every key under `prefix:` (SCAN, so a busy server is never blocked). */
export async function unlinkPrefix(
  redis: {
    scan(...args: Array<string | number>): Promise<[string, string[]]>;
    unlink(...keys: string[]): Promise<number>;
  },
  prefix: string,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export function redisConnection(url = TEST_REDIS_URL) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  stepMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Holds an exclusive lock on `calls` so the worker's store statement waits (and can be cut). */
export async function lockCalls(sql: pg.Pool): Promise<pg.PoolClient> {
  const client = await sql.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE calls IN ACCESS EXCLUSIVE MODE');
  return client;
}

/** Terminates the worker connection that waits for the lock, as a database restart would. */
export async function cutWaitingWorker(sql: pg.Pool): Promise<void> {
  let pid: number | undefined;
  await waitFor(async () => {
    const { rows } = await sql.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    pid = rows[0]?.pid;
    return pid !== undefined;
  });
  await sql.query('SELECT pg_terminate_backend($1)', [pid]);
}
