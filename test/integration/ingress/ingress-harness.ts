import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { AppConfig } from '@switchboard/config';
import { ConnectionService } from '@switchboard/connections';
import { discoverPlugins, type DiscoveryResult } from '@switchboard/core';
import { IngressConnections } from '@switchboard/ingress';
import { QueueName, isWebhookBatch, type AnyWebhookJobData } from '@switchboard/queue';
import { createApiApp } from '../../../apps/api/src/api-app.js';
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

export interface WebhookLogRow {
  id: string;
  connection_id: string | null;
  provider: string;
  event_type: string | null;
  event_id: string | null;
  dedup_key: string | null;
  method: string;
  content_type: string | null;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  raw_body: Buffer | null;
  source_ip: string | null;
  verification: string;
  status: string;
  http_status: number;
  error: string | null;
}

export interface TestConnection {
  id: string;
  secret: string;
}

/** One api app (in process) on its own database and Redis prefix, plus ways to look inside. */
export class IngressHarness {
  app!: NestFastifyApplication;
  config!: AppConfig;
  db!: TestDatabase;
  prefix!: string;
  sql!: pg.Pool;
  queue!: Queue<AnyWebhookJobData>;
  discovery!: DiscoveryResult;

  static async start(
    options: { env?: Record<string, string>; redisUrl?: string; cacheTtlMs?: number } = {},
  ): Promise<IngressHarness> {
    const h = new IngressHarness();
    h.db = await createTestDatabase();
    h.prefix = uniqueRedisPrefix('ingress');
    h.discovery = await discoverPlugins({ rootDir: ROOT });
    h.config = testConfig({
      DATABASE_URL: h.db.url,
      REDIS_PREFIX: h.prefix,
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...options.env,
    });
    h.app = await createApiApp(h.config, h.discovery);
    await h.app.init();
    await h.fastify().ready();
    if (options.cacheTtlMs !== undefined) h.app.get(IngressConnections).ttlMs = options.cacheTtlMs;
    h.sql = new pg.Pool({ connectionString: h.db.url, max: 2 });
    h.sql.on('error', () => undefined);
    h.queue = new Queue(QueueName.Webhooks, { connection: redisConnection(), prefix: h.prefix });
    return h;
  }

  fastify() {
    return this.app.getHttpAdapter().getInstance();
  }

  connections(): ConnectionService {
    return this.app.get(ConnectionService);
  }

  async createConnection(
    provider: string,
    options: { mode?: 'live' | 'shadow'; settings?: Record<string, unknown>; ipAllowlist?: string[] } = {},
  ): Promise<TestConnection> {
    const { connection, webhookSecret } = await this.connections().create({
      provider,
      name: `${provider} test`,
      credentials: CREDENTIALS[provider],
      validate: false,
      ...options,
    });
    return { id: connection.id, secret: webhookSecret };
  }

  inject(options: {
    method?: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string | Buffer;
    remoteAddress?: string;
  }) {
    return this.fastify().inject({
      method: (options.method ?? 'POST') as 'POST',
      url: options.url,
      headers: options.headers,
      payload: options.payload,
      remoteAddress: options.remoteAddress,
    });
  }

  async rows(where = 'true', params: unknown[] = []): Promise<WebhookLogRow[]> {
    const result = await this.sql.query<WebhookLogRow>(
      `SELECT * FROM webhook_logs WHERE ${where} ORDER BY created_at, id`,
      params,
    );
    return result.rows;
  }

  async row(id: string): Promise<WebhookLogRow> {
    const [row] = await this.rows('id = $1', [id]);
    if (!row) throw new Error(`no webhook_logs row ${id}`);
    return row;
  }

  /** The inbox rows the queue's jobs carry, a row id per job that carries it (a batch job carries several). */
  async queuedRowIds(): Promise<string[]> {
    const jobs = await this.queue.getJobs([
      'waiting',
      'active',
      'delayed',
      'completed',
      'failed',
      'prioritized',
    ]);
    return jobs
      .flatMap((j) =>
        isWebhookBatch(j.data) ? j.data.rows.map((r) => r.webhookLogId) : [j.data.webhookLogId],
      )
      .sort();
  }

  async callCount(): Promise<number> {
    const result = await this.sql.query<{ n: string }>('SELECT count(*) AS n FROM calls');
    return Number(result.rows[0].n);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    await this.queue?.close();
    await this.sql?.end();
    await this.db?.drop();
  }
}

export function redisConnection(url = TEST_REDIS_URL) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}

export function webhookUrl(
  provider: string,
  connectionId: string,
  query: Record<string, string> = {},
): string {
  const qs = new URLSearchParams(query).toString();
  return `/webhooks/${provider}/${connectionId}${qs ? `?${qs}` : ''}`;
}
