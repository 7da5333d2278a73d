import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConnectionService } from '@switchboard/connections';
import { discoverPlugins } from '@switchboard/core';
import { LiveCallStream } from '@switchboard/pipeline';
import { createApiApp } from '../../../apps/api/src/api-app.js';
import { createWorkerApp } from '../../../apps/worker/src/worker-app.js';
import { testConfig } from '../../support/app-config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { uniqueRedisPrefix } from '../../support/redis.js';
import { TEST_REDIS_URL } from '../../support/services.js';
import { TcpProxy } from './tcp-proxy.js';

const ROOT = new URL('../../..', import.meta.url).pathname;

/** Every line the apps log (through Nest's logger) and everything written to the console directly. */
class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  readonly raw: string[] = [];
  private add(level: string, message: unknown, context?: unknown) {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.lines.push(`${level} [${String(context ?? '')}] ${text}`);
  }
  log(m: unknown, c?: unknown) {
    this.add('log', m, c);
  }
  error(m: unknown, ...rest: unknown[]) {
    this.add('error', m, rest[rest.length - 1]);
  }
  warn(m: unknown, c?: unknown) {
    this.add('warn', m, c);
  }
  debug() {}
  verbose() {}
  mark(): number {
    return this.lines.length + this.raw.length;
  }
  since(mark: number, lines = this.lines): string[] {
    return lines.slice(Math.max(0, mark - this.raw.length));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same message, numbers aside: how often each was logged. */
function repeats(lines: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const shape = line.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').replace(/\d+/g, 'N');
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/**
 * Outages of a private PostgreSQL and Redis (TCP proxies to the shared ones, cut and restored)
 * under a steady stream of webhooks: one line when an outage starts and one when it ends, per
 * component, never a line per request or job, and nothing written to the console past the logger
 * (no raw `[ioredis] Unhandled error event` dumps).
 */
describe('logs during outages (api + worker on proxied PostgreSQL and Redis)', () => {
  const pgProxy = new TcpProxy(5432);
  const redisProxy = new TcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
  const logs = new CapturedLogs();
  const consoleMethods = ['error', 'warn', 'log', 'info'] as const;
  const saved = consoleMethods.map((m) => console[m]);
  let db: TestDatabase;
  let api: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let connection: { id: string; secret: string };
  let sending = false;
  let sender: Promise<void> | undefined;
  const statuses: number[] = [];

  beforeAll(async () => {
    for (const m of consoleMethods)
      console[m] = (...args: unknown[]) => void logs.raw.push(`console.${m} ${args.map(String).join(' ')}`);
    await pgProxy.start();
    await redisProxy.start();
    db = await createTestDatabase();
    const config = testConfig({
      DATABASE_URL: pgProxy.url(db.url),
      REDIS_URL: redisProxy.url(TEST_REDIS_URL),
      REDIS_PREFIX: uniqueRedisPrefix('outage'),
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'false',
      WORKER_PORT: '0',
    });
    const discovery = await discoverPlugins({ rootDir: ROOT });
    api = await createApiApp(config, discovery);
    worker = await createWorkerApp(config, discovery);
    api.useLogger(logs);
    worker.useLogger(logs);
    await api.init();
    await api.getHttpAdapter().getInstance().ready();
    await worker.init();
    const created = await api.get(ConnectionService).create({
      provider: 'ringba',
      name: 'outage',
      credentials: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
      validate: false,
    });
    connection = { id: created.connection.id, secret: created.webhookSecret };
    // the api's live stream reader (its own Redis connection) runs while a client listens
    await api.get(LiveCallStream).subscribe({ onEntry: () => undefined, onClose: () => undefined });
  }, 120_000);

  afterAll(async () => {
    sending = false;
    await sender;
    pgProxy.up();
    redisProxy.up();
    await worker?.close();
    await api?.close();
    await db?.drop();
    await pgProxy.stop();
    await redisProxy.stop();
    consoleMethods.forEach((m, i) => (console[m] = saved[i]));
  }, 60_000);

  /** ~50 webhooks a second until stopped. */
  function sendSteadily(): void {
    sending = true;
    sender = (async () => {
      let n = 0;
      while (sending) {
        const res = await api
          .getHttpAdapter()
          .getInstance()
          .inject({
            method: 'GET',
            url: `/webhooks/ringba/${connection.id}?token=${connection.secret}&event=incoming&call_id=RGB-OUT-${n++}`,
          });
        statuses.push(res.statusCode);
        await sleep(20);
      }
    })();
  }

  async function stopSending(): Promise<void> {
    sending = false;
    await sender;
  }

  async function untilAccepting(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const res = await api
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'GET',
          url: `/webhooks/ringba/${connection.id}?token=${connection.secret}&event=incoming&call_id=RGB-PROBE-${Date.now()}`,
        });
      if (res.statusCode === 202 && res.json().status === 'queued') return;
      await sleep(200);
    }
    throw new Error('not accepting again in time');
  }

  it('PostgreSQL outage: one line when it starts, one when it ends, counts in between', async () => {
    sendSteadily();
    await sleep(1_000);
    const mark = logs.lines.length;
    const sent = statuses.length;
    pgProxy.down();
    await sleep(6_000);
    pgProxy.up();
    await untilAccepting();
    await sleep(3_000); // the relay and the worker notice too
    await stopSending();
    const during = logs.lines.slice(mark);
    const refused = statuses.slice(sent).filter((s) => s === 503).length;
    expect(refused).toBeGreaterThan(50); // a real flood of failing requests
    expect(during.length).toBeLessThan(20);
    expect(repeats(during)[0]?.[1] ?? 0).toBeLessThanOrEqual(2);
    expect(during).toContainEqual(
      expect.stringMatching(/^error \[Ingress\] webhook storage \(PostgreSQL\) failing: /),
    );
    expect(during).toContainEqual(
      expect.stringMatching(
        /^log \[Ingress\] webhook storage \(PostgreSQL\) working again after \d+ s \(\d+ failure\(s\) during the outage\)/,
      ),
    );
    expect(logs.raw).toEqual([]);
  }, 90_000);

  it('Redis outage: the same, and no raw ioredis dumps from any client', async () => {
    sendSteadily();
    await sleep(1_000);
    const mark = logs.lines.length;
    redisProxy.down();
    await sleep(6_000);
    redisProxy.up();
    await untilAccepting();
    await sleep(3_000);
    await stopSending();
    const during = logs.lines.slice(mark);
    // one line when it starts and one when it ends per component and process (api + worker)
    expect(during.length).toBeLessThan(60);
    expect(repeats(during)[0]?.[1] ?? 0).toBeLessThanOrEqual(2);
    expect(during).toContainEqual(expect.stringMatching(/Redis unreachable \(cache\)/));
    expect(during).toContainEqual(expect.stringMatching(/Redis reachable again \(cache\)/));
    expect(logs.raw.filter((l) => /ioredis|Unhandled error/.test(l))).toEqual([]);
    expect(logs.raw).toEqual([]);
  }, 90_000);
});
