import fs from 'node:fs';
import http from 'node:http';
import * as net from 'node:net';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { discoverPlugins } from '@switchboard/core';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApiApp } from '../../apps/api/src/api-app.js';
import { ApiKeyService } from '../../apps/api/src/auth/api-key.service.js';
import { CONSOLE_DIST } from '../../apps/api/src/console/console-static.js';
import { createWorkerApp } from '../../apps/worker/src/worker-app.js';
import { createRingbaSimulator } from '../simulators/src/ringba/index.js';
import type { ProviderSimulator } from '../simulators/src/simulator.js';
import { testConfig } from '../support/app-config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { uniqueRedisPrefix } from '../support/redis.js';

/**
 * The web console in a real browser (Debian's chromium driven by playwright-core) against the real
 * API, worker, PostgreSQL, Redis and the Ringba simulator. The browser reaches the API through a
 * reverse proxy that mounts it under /sb/, as an operator's proxy would, so relative asset URLs
 * and the API base derived from the page location are tested on every run.
 * CONSOLE_SCREENSHOTS=<dir> also writes the README's screenshots there.
 */
const ROOT = new URL('../..', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;
const ADMIN_TOKEN = 'console-e2e-admin-token-4f1c9a7e2b6d8c3a';
const PREFIX = '/sb';
/** Per step: the steps share one browser page and run in order. */
const STEP_MS = 90_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A path-prefix reverse proxy: /sb/<path> -> the API's /<path>, streaming both ways (SSE too). */
function startProxy(target: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith(`${PREFIX}/`)) {
      res.writeHead(404).end('outside the prefix');
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: target,
        method: req.method,
        path: req.url.slice(PREFIX.length),
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('error', () => res.destroy());
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    res.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('web console in a browser (sign in, connections, live calls, timeline, replay, secrets)', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  let api: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let proxy: http.Server;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiBase: string;
  let consoleUrl: string;
  let sim: ProviderSimulator;
  /** Uncaught errors in the page; the console must not throw any. */
  const pageErrors: string[] = [];
  const created: { id?: string; secret?: string; webhookUrl?: string; callId?: string } = {};

  const shot = async (name: string) => {
    if (!SCREENSHOTS) return;
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`) });
  };
  const adminFetch = (p: string, init: RequestInit = {}) =>
    fetch(`${apiBase}${p}`, {
      ...init,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CONSOLE_DIST, 'index.html'))) {
      throw new Error(`the console is not built (${CONSOLE_DIST}): run "npm run build" first`);
    }
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `no browser at ${CHROMIUM}: apt-get install -y chromium (.ci/run does) or set CHROMIUM_PATH`,
      );
    }
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const discovery = await discoverPlugins({ rootDir: ROOT });
    const port = await freePort();
    apiBase = `http://127.0.0.1:${port}`;
    const config = testConfig({
      DATABASE_URL: db.url,
      REDIS_PREFIX: uniqueRedisPrefix('console'),
      PORT: String(port),
      PUBLIC_BASE_URL: apiBase,
      WORKER_PORT: '0',
      ADMIN_TOKEN,
    });
    api = await createApiApp(config, discovery);
    await api.listen({ port, host: '127.0.0.1' });
    worker = await createWorkerApp(config, discovery);
    await worker.init();
    proxy = await startProxy(port);
    consoleUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}${PREFIX}/console/`;
    sim = createRingbaSimulator({ seed: 11, historyCalls: 5, historyEnd: new Date(Date.now() - 3_600_000) });
    await sim.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sim?.stop();
    proxy?.closeAllConnections();
    await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
    await worker?.close();
    await api?.close();
    await sql?.end();
    await db?.drop();
  }, 30_000);

  it(
    'serves the build at /console with cache headers (index revalidated, hashed assets immutable)',
    async () => {
      const redirect = await fetch(`${apiBase}/console`, { redirect: 'manual' });
      expect(redirect.status).toBe(308);
      expect(redirect.headers.get('location')).toBe('console/');
      const index = await fetch(`${apiBase}/console/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const html = await index.text();
      const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const js = await fetch(`${apiBase}/console/${asset}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // What the console reads beyond the older API is documented for scripts too.
      const openapi = (await (await fetch(`${apiBase}/docs/json`)).json()) as {
        paths: Record<string, unknown>;
      };
      for (const route of [
        '/me',
        '/overview',
        '/plugins/{provider}/credential-fields',
        '/calls/{id}/timeline',
      ])
        expect(Object.keys(openapi.paths)).toContain(route);
    },
    STEP_MS,
  );

  it(
    'signs in with the admin token, keeping it out of the URL and of web storage',
    async () => {
      await page.goto(consoleUrl);
      await page.getByLabel('Admin token or API key').fill('not-the-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The API does not accept this token').waitFor();

      await page.getByLabel('Admin token or API key').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.getByText('No connections yet.').waitFor();
      expect(page.url()).not.toContain(ADMIN_TOKEN);
      const stored = await page.evaluate(
        () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
      );
      expect(stored).not.toContain(ADMIN_TOKEN);
      expect(await page.getByRole('link', { name: 'Connections' }).count()).toBe(1);
    },
    STEP_MS,
  );

  it(
    'creates a connection from the form generated from the plugin, with provider validation inline',
    async () => {
      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel('Provider', { exact: true }).selectOption('ringba');
      await page.getByLabel('Name', { exact: true }).fill('Ringba main');
      await page.getByLabel('Account ID').fill('not-an-account');
      await page.getByLabel('Api Token').fill(sim.credentials.apiToken);
      await page.getByText('Advanced').click();
      await page.getByLabel('Provider API base URL (optional)').fill(sim.baseUrl);
      await page.getByRole('button', { name: 'Create connection' }).click();
      // The provider's own rule, next to its field.
      const account = page.getByLabel('Account ID');
      await until('inline error', async () =>
        (await account.getAttribute('aria-invalid')) === 'true' ? true : undefined,
      );
      await page.getByText(/accountId must be a Ringba account id/).waitFor();
      await shot('new-connection');

      // Well-formed but refused by the provider (the simulator checks the token): said above the form.
      await account.fill(sim.credentials.accountId);
      await page.getByLabel('Api Token').fill('not-the-right-token');
      await page.getByRole('button', { name: 'Create connection' }).click();
      await page
        .getByRole('alert')
        .getByText(/refused the credentials/)
        .waitFor();
      expect(await account.getAttribute('aria-invalid')).toBeNull();
      const { rows: none } = await sql.query('SELECT count(*)::int AS n FROM provider_connections');
      expect(none[0].n).toBe(0);

      await page.getByLabel('Api Token').fill(sim.credentials.apiToken);
      await page.getByRole('button', { name: 'Create connection' }).click();
      await page.getByRole('heading', { name: 'Connection created' }).waitFor();
      created.secret = (await page.getByTestId('secret-once').textContent()) ?? undefined;
      expect(created.secret).toMatch(/\S{16,}/);
      await page.getByRole('link', { name: 'open the connection' }).click();
      await page.getByRole('heading', { name: 'Setup templates' }).waitFor();
      created.id = /connections\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      expect(created.id).toBeDefined();
      const { rows } = await sql.query('SELECT name, provider_type FROM provider_connections WHERE id = $1', [
        created.id,
      ]);
      expect(rows).toEqual([{ name: 'Ringba main', provider_type: 'ringba' }]);
      const conn = (await (await adminFetch(`/connections/${created.id}`)).json()) as { webhookUrl: string };
      created.webhookUrl = conn.webhookUrl;
      // One template per trigger, each with a copy button; the secret never shows on the page itself.
      expect(await page.locator('details.template').count()).toBeGreaterThan(1);
      expect(
        await page.getByRole('button', { name: 'Copy URL', includeHidden: true }).count(),
      ).toBeGreaterThan(1);
      await shot('connection');
    },
    STEP_MS,
  );

  it(
    'shows simulated calls as they arrive, and holds them back while paused',
    async () => {
      await page.getByRole('link', { name: 'Calls' }).click();
      await page.getByText('No calls match.').waitFor();
      await page.locator('.live-state', { hasText: /^Live$/ }).waitFor();

      const fired = await sim.simulateCall({ webhookUrl: created.webhookUrl!, secret: created.secret! });
      expect(fired.every((f) => f.status === 202 || f.status === 200)).toBe(true);
      const callRow = page.locator('tr[data-call-id]');
      await callRow.first().waitFor();
      // Later webhooks of the same call update its row in place: still one row, final status shown.
      await page.locator('tr[data-call-id]', { hasText: 'completed' }).waitFor();
      expect(await callRow.count()).toBe(1);
      created.callId = (await callRow.first().getAttribute('data-call-id')) ?? undefined;

      await page.getByRole('button', { name: 'Pause' }).click();
      await sim.simulateCall({ webhookUrl: created.webhookUrl!, secret: created.secret! });
      await page.getByText(/Paused · \d+ updates? waiting/).waitFor();
      expect(await callRow.count()).toBe(1);
      await page.getByRole('button', { name: 'Resume' }).click();
      await until('the held call', async () => ((await callRow.count()) === 2 ? true : undefined));
      await shot('calls');
    },
    STEP_MS,
  );

  it(
    "opens a call's page with its fields, the source of each value and its event timeline",
    async () => {
      await page.locator(`tr[data-call-id="${created.callId}"] a`).first().click();
      await page.getByRole('heading', { name: 'Timeline' }).waitFor();
      const events = page.locator('ol.timeline > li');
      await until('timeline events', async () => ((await events.count()) >= 2 ? true : undefined));
      const timeline = (await page.locator('ol.timeline').textContent()) ?? '';
      expect(timeline).toContain('call.completed');
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM call_events WHERE call_id = $1', [
        created.callId,
      ]);
      expect(await events.count()).toBe(rows[0].n);
      // The status row names the event its value came from.
      const statusRow = page.locator('table.fields-table tr', { hasText: 'Status' }).first();
      expect(await statusRow.textContent()).toMatch(/webhook call\.\w+/);
      await shot('call');
    },
    STEP_MS,
  );

  it(
    'finds a failed webhook and replays it, showing the result',
    async () => {
      await until('webhooks processed', async () => {
        const { rows } = await sql.query(
          `SELECT count(*)::int AS n FROM webhook_logs WHERE connection_id = $1 AND status NOT IN ('processed', 'ignored')`,
          [created.id],
        );
        return rows[0].n === 0 ? true : undefined;
      });
      // A transient failure at processing time, as the worker leaves it after its last attempt.
      const { rows } = await sql.query(
        `UPDATE webhook_logs SET status = 'failed', error = 'database unavailable', attempts = 8
       WHERE id = (SELECT id FROM webhook_logs WHERE connection_id = $1 ORDER BY received_at DESC LIMIT 1) RETURNING id`,
        [created.id],
      );
      const failedId = rows[0].id as string;

      await page.getByRole('link', { name: 'Webhook logs' }).click();
      await page.getByLabel('Status').selectOption('failed');
      const row = page.locator(`tr[data-log-id="${failedId}"]`);
      await row.waitFor();
      expect(await page.locator('tr[data-log-id]').count()).toBe(1);
      await row.getByRole('link').click();
      const detail = page.getByRole('complementary', { name: 'Webhook request' });
      await detail.getByText('database unavailable').first().waitFor();
      // Secrets are stripped before the page sees them.
      expect(await detail.textContent()).not.toContain(created.secret!);
      await shot('webhook-logs');
      await detail.getByRole('button', { name: 'Replay this request' }).click();
      await page.getByText('This request: 1 put back on the queue.').waitFor();
      await until('replayed row processed', async () => {
        const { rows: after } = await sql.query('SELECT status FROM webhook_logs WHERE id = $1', [failedId]);
        return after[0].status === 'processed' ? true : undefined;
      });
      await detail.locator('.badge-processed').first().waitFor();
    },
    STEP_MS,
  );

  it(
    'rotates the webhook secret, shows the new one once, and the provider can use it at once',
    async () => {
      await page.goto(`${consoleUrl}#/connections/${created.id}`);
      await page.getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Rotate' }).click();
      const secret = (await page.getByTestId('secret-once').textContent()) ?? '';
      expect(secret).toMatch(/\S{16,}/);
      expect(secret).not.toBe(created.secret);
      await page.getByText('Active webhook secrets').waitFor();
      // The ingress caches connection rows for a few seconds, so the new secret is accepted
      // within about two cache lifetimes (the console says so).
      await page.getByText(/accepted within about 10 seconds/).waitFor();
      await until(
        'the new secret accepted',
        async () => {
          const fired = await sim.simulateCall({ webhookUrl: created.webhookUrl!, secret });
          if (fired.every((f) => f.status === 202 || f.status === 200)) return true;
          await new Promise((r) => setTimeout(r, 1_000));
          return undefined;
        },
        15_000,
      );
      // Reloading the page forgets the secret (and the session: the token lives in memory only).
      await page.reload();
      await page.getByLabel('Admin token or API key').waitFor();
      expect(await page.getByTestId('secret-once').count()).toBe(0);
    },
    STEP_MS,
  );

  it(
    'starts a backfill with a date range and watches its progress to the end, with its report',
    async () => {
      await page.getByLabel('Admin token or API key').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Sync' }).click();
      await page.getByRole('heading', { name: 'Scheduled sync' }).waitFor();
      await page.getByLabel('Kind').selectOption('backfill');
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('From').fill(day(-5));
      await page.getByLabel('To (exclusive)').fill(day(1));
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByText('Backfill queued.').waitFor();
      const run = page.locator('tr[data-run-id]').first();
      await run.locator('.badge-succeeded').waitFor({ timeout: 30_000 });
      expect(await run.locator('progress').getAttribute('value')).toBe('100');
      const runId = (await run.getAttribute('data-run-id')) as string;
      const { rows } = await sql.query('SELECT state, calls_seen FROM sync_runs WHERE id = $1', [runId]);
      expect(rows[0]).toMatchObject({ state: 'succeeded' });
      // The five historic calls plus the live ones the provider also lists.
      expect(rows[0].calls_seen).toBeGreaterThanOrEqual(5);
      expect(await run.textContent()).toContain(`${rows[0].calls_seen} seen`);
      await page.getByRole('article', { name: 'Run report' }).waitFor();
      await shot('sync');
    },
    STEP_MS,
  );

  it(
    'replays every failed request matching a filter, edits the allowlist, validates, deactivates and deletes',
    async () => {
      const { rows: failed } = await sql.query(
        `UPDATE webhook_logs SET status = 'failed', error = 'database unavailable'
         WHERE id IN (SELECT id FROM webhook_logs WHERE connection_id = $1 AND status = 'processed' LIMIT 2) RETURNING id`,
        [created.id],
      );
      expect(failed).toHaveLength(2);
      await page.getByRole('link', { name: 'Webhook logs' }).click();
      await page.getByLabel('Status').selectOption('failed');
      await until('two failed rows', async () =>
        (await page.locator('tr[data-log-id]').count()) === 2 ? true : undefined,
      );
      await page.getByRole('button', { name: 'Replay all matching' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Replay' }).click();
      await page.getByText('Matching requests: 2 put back on the queue.').waitFor();
      await until('bulk replay processed', async () => {
        const { rows } = await sql.query(
          `SELECT count(*)::int AS n FROM webhook_logs WHERE id = ANY($1::uuid[]) AND status = 'processed'`,
          [failed.map((r) => r.id)],
        );
        return rows[0].n === 2 ? true : undefined;
      });

      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByRole('link', { name: 'Ringba main' }).click();
      await page.getByLabel('Webhook IP allowlist (empty = any address)').fill('127.0.0.1/32, ::1/128');
      await page.getByRole('button', { name: 'Save allowlist' }).click();
      await page.getByText('IP allowlist saved.').waitFor();
      await page.getByRole('button', { name: 'Validate credentials' }).click();
      await page.getByText('The provider accepts these credentials.').waitFor();
      await page.getByRole('button', { name: 'Deactivate' }).click();
      await page
        .getByRole('dialog', { name: 'Deactivate this connection?' })
        .getByRole('button', { name: 'Deactivate' })
        .click();
      await page.getByText('Connection deactivated').waitFor();
      const dialogsClosed = () =>
        until('the dialog closed', async () =>
          (await page.locator('dialog[open]').count()) === 0 ? true : undefined,
        );
      await dialogsClosed();
      let { rows } = await sql.query(
        'SELECT is_active, ip_allowlist FROM provider_connections WHERE id = $1',
        [created.id],
      );
      expect(rows[0]).toEqual({ is_active: false, ip_allowlist: ['127.0.0.1/32', '::1/128'] });
      await page.getByRole('button', { name: 'Activate' }).click();
      await page
        .getByRole('dialog', { name: 'Activate this connection?' })
        .getByRole('button', { name: 'Activate' })
        .click();
      await page.getByText('Connection activated.').waitFor();
      await dialogsClosed();
      ({ rows } = await sql.query('SELECT is_active FROM provider_connections WHERE id = $1', [created.id]));
      expect(rows[0].is_active).toBe(true);

      // A second connection, deleted behind its confirmation.
      const spare = (await (
        await adminFetch('/connections', {
          method: 'POST',
          body: JSON.stringify({
            provider: 'ringba',
            name: 'Spare',
            credentials: sim.credentials,
            validate: false,
          }),
        })
      ).json()) as { connection: { id: string } };
      // Same document, new hash: the session stays.
      await page.goto(`${consoleUrl}#/connections/${spare.connection.id}`);
      await page.getByRole('heading', { name: /Spare/ }).waitFor();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('dialog', { name: 'Delete “Spare”?' })
        .getByRole('button', { name: 'Delete for good' })
        .click();
      await page.getByRole('heading', { name: 'Connections' }).waitFor();
      ({ rows } = await sql.query('SELECT count(*)::int AS n FROM provider_connections WHERE id = $1', [
        spare.connection.id,
      ]));
      expect(rows[0].n).toBe(0);
    },
    STEP_MS,
  );

  it(
    'creates a connection whose plugin needs settings (the generic webhook mapping), checked under the settings box',
    async () => {
      await page.getByRole('link', { name: 'Connections' }).click();
      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel('Provider', { exact: true }).selectOption('generic-webhook');
      await page.getByLabel('Name', { exact: true }).fill('Dialer');
      await page.getByText('Advanced').click();
      const box = page.getByLabel('Settings (JSON, optional)');
      const create = () => page.getByRole('button', { name: 'Create connection' }).click();

      await box.fill('{"mapping": ');
      await create();
      await page.getByText('Settings must be valid JSON.').waitFor();
      expect(await box.getAttribute('aria-invalid')).toBe('true');

      // The plugin's own rule (validateSettings), answered by the API and shown where it belongs.
      await box.fill(JSON.stringify({ mapping: { fields: {} } }));
      await create();
      await page
        .locator('#settings-help', { hasText: 'settings.mapping.fields.externalId is required' })
        .waitFor();
      const count = async () =>
        (
          await sql.query(
            "SELECT count(*)::int AS n FROM provider_connections WHERE provider_type = 'generic-webhook'",
          )
        ).rows[0].n;
      expect(await count()).toBe(0);

      const mapping = { fields: { externalId: { from: 'body', path: '$.call.id' } }, money: 'cents' };
      await box.fill(JSON.stringify({ timeZone: 'America/New_York', mapping }));
      await create();
      await page.getByRole('heading', { name: 'Connection created' }).waitFor();
      const { rows } = await sql.query(
        "SELECT settings FROM provider_connections WHERE provider_type = 'generic-webhook'",
      );
      expect(rows).toEqual([{ settings: { timeZone: 'America/New_York', mapping } }]);
    },
    STEP_MS,
  );

  it(
    'overview counts what came in; a read-only key sees only what its scope allows; sign-out forgets the token',
    async () => {
      await page.getByRole('link', { name: 'Overview' }).click();
      const row = page.locator('tr', { hasText: 'Ringba main' });
      await row.waitFor();
      const overview = (await (await adminFetch('/overview')).json()) as {
        connections: Array<{ connectionId: string; received: number; processed: number }>;
        series: unknown[];
      };
      expect(overview.series).toHaveLength(60);
      const mine = overview.connections.find((c) => c.connectionId === created.id)!;
      expect(mine.received).toBeGreaterThanOrEqual(6);
      expect(await row.textContent()).toContain(String(mine.received));
      const chart = (await page.locator('figure.chart svg').getAttribute('aria-label')) ?? '';
      expect(Number(/(\d+) webhooks received/.exec(chart)?.[1])).toBe(
        overview.series.reduce((n, m) => n + (m as { received: number }).received, 0),
      );
      expect(chart).toMatch(/[1-9]\d* webhooks received/);
      await shot('overview');
      // Responsive: on a phone-sized screen nothing pushes the page sideways (wide tables scroll
      // inside their own box).
      await page.setViewportSize({ width: 390, height: 800 });
      for (const link of ['Calls', 'Webhook logs', 'Connections', 'Sync', 'Overview']) {
        await page.getByRole('link', { name: link, exact: true }).click();
        await page.getByRole('heading', { name: link, exact: true }).first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect({ link, overflow }).toEqual({ link, overflow: 0 });
      }
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Admin token or API key').waitFor();
      const { key } = await api.get(ApiKeyService).create('console read-only', ['read']);
      await page.getByLabel('Admin token or API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      expect(await page.getByRole('link', { name: 'Connections' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Webhook logs' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Calls' }).click();
      await page.locator('tr[data-call-id]').first().waitFor();
      await page.evaluate(() => (window.location.hash = '#/webhooks'));
      await page.getByText('This page needs the “admin” scope').waitFor();
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );
});
