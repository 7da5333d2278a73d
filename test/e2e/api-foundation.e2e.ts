import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { discoverPlugins, type DiscoveryResult } from '@switchboard/core';
import { createApiApp } from '../../apps/api/src/api-app.js';
import { testConfig } from '../support/app-config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { uniqueRedisPrefix } from '../support/redis.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('API foundation (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let discovery: DiscoveryResult;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    discovery = await discoverPlugins({ rootDir: ROOT });
    app = await createApiApp(
      testConfig({ DATABASE_URL: db.url, REDIS_PREFIX: uniqueRedisPrefix('api') }),
      discovery,
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const fastify = () => app.getHttpAdapter().getInstance();
  const get = (url: string) => fastify().inject({ method: 'GET', url });

  it('is live and ready when PostgreSQL, Redis and the queue answer', async () => {
    expect((await get('/health/live')).statusCode).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.statusCode).toBe(200);
    const body = ready.json();
    expect(body.details.database.status).toBe('up');
    expect(body.details.redis.status).toBe('up');
    expect(body.details.queue.status).toBe('up');
  });

  it('lists the three bundled plugins with version and feature flags', async () => {
    const res = await get('/plugins');
    expect(res.statusCode).toBe(200);
    const { plugins } = res.json() as {
      plugins: Array<{ provider: string; version: string; features: Record<string, boolean> }>;
    };
    expect(plugins.map((p) => p.provider)).toEqual(
      expect.arrayContaining(['retreaver', 'ringba', 'trackdrive']),
    );
    for (const plugin of plugins) {
      expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(typeof plugin.features.webhooks).toBe('boolean');
      expect(typeof plugin.features.numberProvisioning).toBe('boolean');
    }
  });

  it('exports the seed plan metric families with Prometheus naming', async () => {
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    for (const family of [
      'switchboard_provider_api_up',
      'switchboard_provider_api_requests_total',
      'switchboard_provider_api_request_duration_seconds',
      'switchboard_webhooks_received_total',
      'switchboard_webhooks_processed_total',
      'switchboard_webhook_processing_duration_seconds',
      'switchboard_sync_lag_seconds',
      'switchboard_sync_records_processed_total',
      'switchboard_process_cpu_seconds_total',
    ]) {
      expect(res.body).toContain(`# TYPE ${family} `);
    }
    expect(res.body).toMatch(/switchboard_plugins\{status="loaded"\} [3-9]/);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await get('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/plugins',
        '/connections',
        '/health/ready',
        '/calls',
        '/webhooks/{provider}/{connectionId}',
      ]),
    );
    expect((await get('/docs')).statusCode).toBe(200);
  });

  it('answers unknown routes and bad input with the one error shape', async () => {
    const missing = await get('/connections/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ statusCode: 404, error: 'connection_not_found' });
    expect(missing.json().requestId).toBeTruthy();

    const bad = await fastify().inject({
      method: 'POST',
      url: '/connections',
      payload: { provider: 'ringba', name: 'x', credentials: { accountId: 'nope' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_credentials' });
    expect(bad.body).not.toContain('nope');
  });

  it('stores credentials encrypted and never shows secret fields', async () => {
    const res = await fastify().inject({
      method: 'POST',
      url: '/connections',
      payload: {
        provider: 'ringba',
        name: 'main',
        credentials: { accountId: 'RA0123456789', apiToken: 'tok-very-secret-123456' },
        validate: false,
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.webhookSecret).toMatch(/^whsec_/);
    expect(JSON.stringify(body.connection)).not.toContain('tok-very-secret');
    const list = await get('/connections');
    expect(list.body).not.toContain('tok-very-secret');
    expect(list.body).not.toContain(body.webhookSecret);
  });
});

describe('readiness with Redis down', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    const discovery = await discoverPlugins({ rootDir: ROOT });
    // Port 1 on loopback: nothing listens there.
    app = await createApiApp(
      testConfig({
        DATABASE_URL: db.url,
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_PREFIX: uniqueRedisPrefix('down'),
      }),
      discovery,
    );
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const fastify = () => app.getHttpAdapter().getInstance();

  it('stays live and answers 503 naming what is down', async () => {
    expect((await fastify().inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await fastify().inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    const body = ready.json();
    expect(body.error).toBe('not_ready');
    expect(body.message).toMatch(/redis/);
    expect(body.details.redis.status).toBe('down');
    expect(body.details.database.status).toBe('up');
  });
});
