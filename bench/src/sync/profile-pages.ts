// `node bench/dist/sync/profile-pages.js [--calls N] [--page-size N]`: where a backfill page's time
// goes. Pages through the Ringba simulator in this process, one page at a time and without a rate
// limit, with the plugin's adapter and the worker's SyncPageWriter, and times each step: the HTTP
// request, JSON.parse, the plugin's mapping, and in the writer the diff query
// (findManyByExternalIds), the store (call upsert + call_events), the cache/live publish,
// markSynced and the rest (statement rows, diffs). Prints ms per 1,000 calls for each.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { Agent, request } from 'undici';
import { loadConfig } from '@switchboard/config';
import { ConnectionService } from '@switchboard/connections';
import { discoverPlugins, type ProviderHttpRequest, type ProviderHttpResponse } from '@switchboard/core';
import { CallRepository, migrate } from '@switchboard/persistence';
import { CallCache, CallEventStore, LiveEventPublisher, StoredCallPublisher } from '@switchboard/pipeline';
import { PlatformModule } from '@switchboard/platform';
import { RINGBA_MAX_PAGE_SIZE, RingbaAdapter } from '@switchboard/plugin-ringba';
import { SyncPageWriter } from '@switchboard/sync';
import { createRingbaSimulator } from '../../../test/simulators/dist/ringba/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HISTORY_END = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));

const times = new Map<string, number>();
const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await work();
  } finally {
    times.set(phase, (times.get(phase) ?? 0) + performance.now() - started);
  }
};

/** Replaces `object[method]` by the same call, timed under `phase`. */
function instrument(object: object, method: string, phase: string): void {
  const target = object as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = target[method].bind(object);
  target[method] = (...args: unknown[]) => timed(phase, () => original(...args));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string' }, 'page-size': { type: 'string' } } });
  const calls = Number(values.calls ?? 20_000);
  const pageSize = Number(values['page-size'] ?? RINGBA_MAX_PAGE_SIZE);
  const dbName = `sb_bench_syncprof_${randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    REDIS_PREFIX: `sbbench-${randomBytes(4).toString('hex')}`,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
  };
  const sim = createRingbaSimulator({ seed: 7, historyCalls: calls, historyEnd: HISTORY_END });
  await sim.start();
  await migrate({
    databaseUrl: env.DATABASE_URL,
    migrationsDir: path.join(ROOT, 'prisma/migrations'),
    createDatabase: true,
  });
  const config = loadConfig(env);
  const discovery = await discoverPlugins({ rootDir: ROOT });

  @Module({
    imports: [PlatformModule.forRoot({ config, discovery, logging: false })],
    providers: [CallEventStore, CallCache, LiveEventPublisher, StoredCallPublisher, SyncPageWriter],
  })
  class ProfileModule {}
  const app = await NestFactory.createApplicationContext(ProfileModule, { logger: ['error'] });
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const { connection } = await app
      .get(ConnectionService)
      .create({ provider: 'ringba', name: 'profile', credentials: sim.credentials, validate: false });
    instrument(app.get(CallRepository), 'findManyByExternalIds', 'diff query');
    instrument(app.get(CallEventStore), 'store', 'store (upsert + call_events)');
    instrument(app.get(StoredCallPublisher), 'publish', 'cache + live publish');
    instrument(app.get(CallRepository), 'markSynced', 'markSynced');
    const writer = app.get(SyncPageWriter);

    // The plugin's own adapter, over an HTTP client that times the request and the parse apart.
    const adapter = new RingbaAdapter({
      connectionId: connection.id,
      provider: 'ringba',
      credentials: sim.credentials,
      settings: {},
      apiBaseUrl: sim.baseUrl,
      webhookUrl: 'http://127.0.0.1/unused',
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      now: () => new Date(),
      http: {
        async request<T>(req: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
          const text = await timed('fetch (HTTP)', async () => {
            const response = await request(req.url, {
              method: req.method,
              dispatcher,
              headers: { ...req.headers, 'content-type': 'application/json' },
              body: JSON.stringify(req.json),
            });
            return response.body.text();
          });
          const body = await timed('JSON.parse', async () => JSON.parse(text) as T);
          return { status: 200, headers: {}, body, text };
        },
      },
    });

    const window = { from: new Date(HISTORY_END.getTime() - 3 * 86_400_000), to: HISTORY_END };
    let cursor: string | undefined;
    let pages = 0;
    let seen = 0;
    const started = performance.now();
    do {
      const page = await timed('getCalls (fetch + parse + map)', () =>
        adapter.getCalls({ ...window, pageSize }, cursor),
      );
      await timed('write (all)', () =>
        writer.write({ connectionId: connection.id, provider: 'ringba' }, page.calls, new Date(), 'merge'),
      );
      pages++;
      seen += page.calls.length;
      cursor = page.nextCursor;
    } while (cursor);
    const total = performance.now() - started;

    const per1000 = (ms: number) => ((ms * 1000) / seen).toFixed(0).padStart(6);
    const fetchMs = times.get('fetch (HTTP)') ?? 0;
    const parseMs = times.get('JSON.parse') ?? 0;
    times.set('map (plugin)', (times.get('getCalls (fetch + parse + map)') ?? 0) - fetchMs - parseMs);
    const writeParts = ['diff query', 'store (upsert + call_events)', 'cache + live publish', 'markSynced'];
    times.set(
      'write: rest (rows, diffs)',
      (times.get('write (all)') ?? 0) - writeParts.reduce((n, p) => n + (times.get(p) ?? 0), 0),
    );
    process.stdout.write(
      `${seen} calls in ${pages} pages of ${pageSize}, ${(total / 1000).toFixed(1)} s; ms per 1,000 calls:\n`,
    );
    for (const phase of [
      'fetch (HTTP)',
      'JSON.parse',
      'map (plugin)',
      ...writeParts,
      'write: rest (rows, diffs)',
    ]) {
      process.stdout.write(`${per1000(times.get(phase) ?? 0)}  ${phase}\n`);
    }
    process.stdout.write(`${per1000(times.get('write (all)') ?? 0)}  write, wall (its parts may overlap)\n`);
    process.stdout.write(`${per1000(total)}  total\n`);
  } finally {
    await dispatcher.close();
    await sim.stop();
    await app.close();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
