import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CredentialsError,
  MappingError,
  NotSupportedError,
  ProviderError,
  RetryPolicy,
  capabilitiesOf,
  validateAdapterCredentials,
  type InboundWebhook,
  type NormalizedCall,
  type PluginLogger,
  type ProviderContext,
} from '@switchboard/core';
import { RetreaverAdapter, mapCallRecord, type RetreaverCredentials } from '@switchboard/plugin-retreaver';
import { UndiciProviderHttpClient } from '@switchboard/provider-http';
import {
  createRetreaverSimulator,
  DEFAULT_ANCHOR,
  type RetreaverSimulator,
} from '../../simulators/src/retreaver/index.js';
import { createTestProviderContext } from '../../support/provider-context.js';

const HOUR = 3_600_000;
const WINDOW = { from: new Date(DEFAULT_ANCHOR.getTime() - 48 * HOUR), to: DEFAULT_ANCHOR };

interface Logged {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function context(
  sim: RetreaverSimulator,
  overrides: {
    credentials?: Partial<RetreaverCredentials>;
    settings?: Record<string, unknown>;
    maxAttempts?: number;
  } = {},
): { ctx: ProviderContext<RetreaverCredentials>; logs: Logged[] } {
  const logs: Logged[] = [];
  const logger: PluginLogger = {
    debug: (message, fields) => logs.push({ level: 'debug', message, fields }),
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  };
  const base = createTestProviderContext<RetreaverCredentials>({
    provider: 'retreaver',
    credentials: { ...sim.credentials, ...overrides.credentials },
    apiBaseUrl: sim.baseUrl,
    settings: overrides.settings,
    maxAttempts: overrides.maxAttempts,
  });
  return { ctx: { ...base, logger }, logs };
}

function adapterFor(sim: RetreaverSimulator, overrides: Parameters<typeof context>[1] = {}) {
  const { ctx, logs } = context(sim, overrides);
  return { adapter: new RetreaverAdapter(ctx), logs, ctx };
}

async function allPages(adapter: RetreaverAdapter, filters: Parameters<RetreaverAdapter['getCalls']>[0]) {
  const pages: NormalizedCall[][] = [];
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await adapter.getCalls(filters, cursor);
    pages.push(page.calls);
    cursor = page.nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor && pages.length < 100);
  return { pages, cursors, calls: pages.flat() };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function inWindow(sim: RetreaverSimulator, from: Date, to: Date, cid?: string) {
  return sim
    .calls()
    .filter((c) => Date.parse(c.created_at) >= from.getTime() && Date.parse(c.created_at) < to.getTime())
    .filter((c) => !cid || c.cid === cid);
}

describe('Retreaver plugin against the simulator', () => {
  let sim: RetreaverSimulator;

  beforeEach(async () => {
    sim = createRetreaverSimulator({ seed: 7, historyCalls: 120 });
    await sim.start();
  });
  afterEach(async () => {
    await sim.stop();
  });

  describe('credentials', () => {
    it('accepts the simulator credentials', async () => {
      const { adapter } = adapterFor(sim);
      await expect(adapter.authenticate()).resolves.toBeUndefined();
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(true);
      expect(sim.requests()[0].query.company_id).toBe(sim.credentials.companyId);
    });

    it('refuses a wrong API key with a non-retryable 401 CredentialsError that does not echo the key', async () => {
      const { adapter } = adapterFor(sim, { credentials: { apiKey: 'wrong-key-123' } });
      const error = await caught(adapter.authenticate());
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).status).toBe(401);
      expect((error as CredentialsError).retryable).toBe(false);
      expect(String((error as Error).message)).not.toMatch(/wrong-key-123|api_key=/);
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(false);
      // refused credentials are not retried
      expect(sim.requestCount('/api/v2/calls.json')).toBe(2);
    });

    it('refuses a company the key cannot access with a 403 CredentialsError', async () => {
      const { adapter } = adapterFor(sim, { credentials: { companyId: '999' } });
      const error = await caught(adapter.authenticate());
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).status).toBe(403);
      expect(String((error as Error).message)).not.toContain(sim.credentials.apiKey);
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(false);
    });

    it('lets other failures of validateCredentials through', async () => {
      const { adapter } = adapterFor(sim, { maxAttempts: 1 });
      sim.injectFaults({ serverErrors: 1 });
      const error = await caught(validateAdapterCredentials(adapter));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).retryable).toBe(true);
    });
  });

  describe('calls paging', () => {
    it('pages a multi-page window to the end, oldest first, every call once', async () => {
      const { adapter } = adapterFor(sim);
      const { pages, calls, cursors } = await allPages(adapter, { ...WINDOW, pageSize: 25 });
      const expected = inWindow(sim, WINDOW.from, WINDOW.to);
      expect(expected).toHaveLength(120);
      expect(pages.map((p) => p.length)).toEqual([25, 25, 25, 25, 20]);
      expect(calls.map((c) => c.externalId)).toEqual(expected.map((c) => c.uuid));
      expect(new Set(calls.map((c) => c.externalId)).size).toBe(120);
      expect(sim.requestCount('/api/v2/calls.json')).toBe(5);
      // the request asked for Retreaver's parameters
      expect(sim.requests()[0].query).toMatchObject({
        created_at_start: '2026-02-28T00:00:00Z',
        created_at_end: '2026-03-02T00:00:00Z',
        sort_by: 'created_at',
        order: 'asc',
        per_page: '25',
        page: '1',
        company_id: sim.credentials.companyId,
      });
      // Retreaver's Link URLs carry the api_key; cursors (stored in the database) must not
      for (const cursor of cursors) {
        expect(Buffer.from(cursor.slice(4), 'base64url').toString()).not.toMatch(
          /api_key|company_id|sim-retreaver-key/,
        );
      }
    });

    it('maps every record the way the mapper maps the raw API record', async () => {
      const { adapter } = adapterFor(sim);
      const { calls } = await allPages(adapter, { ...WINDOW, pageSize: 100 });
      const byId = new Map(sim.calls().map((c) => [c.uuid, c]));
      for (const call of calls) expect(call).toEqual(mapCallRecord(byId.get(call.externalId)!));
      const statuses = new Set(calls.map((c) => c.status));
      expect(statuses).toEqual(new Set(['completed', 'missed', 'ringing', 'in_progress']));
      expect(calls.some((c) => c.converted && c.revenue && c.payout)).toBe(true);
    });

    it('caps the page size at 100 and reads the rest on the next page', async () => {
      const { adapter } = adapterFor(sim);
      const first = await adapter.getCalls({ ...WINDOW, pageSize: 5000 });
      expect(first.calls).toHaveLength(100);
      expect(sim.requests()[0].query.per_page).toBe('100');
      const second = await adapter.getCalls(WINDOW, first.nextCursor);
      expect(second.calls).toHaveLength(20);
      expect(second.nextCursor).toBeUndefined();
    });

    it('answers an empty window with one request and no cursor', async () => {
      const { adapter } = adapterFor(sim);
      const page = await adapter.getCalls({
        from: new Date('2030-01-01T00:00:00Z'),
        to: new Date('2030-01-02T00:00:00Z'),
      });
      expect(page).toEqual({ calls: [], nextCursor: undefined });
      expect(sim.requestCount('/api/v2/calls.json')).toBe(1);
    });

    it('answers exactly one full page without a next cursor', async () => {
      const { adapter } = adapterFor(sim);
      const to = new Date(WINDOW.from.getTime() + 12 * HOUR);
      const expected = inWindow(sim, WINDOW.from, to);
      expect(expected.length).toBeGreaterThan(1);
      const page = await adapter.getCalls({ from: WINDOW.from, to, pageSize: expected.length });
      expect(page.calls.map((c) => c.externalId)).toEqual(expected.map((c) => c.uuid));
      expect(page.nextCursor).toBeUndefined();
      expect(sim.requestCount('/api/v2/calls.json')).toBe(1);
    });

    it('filters by campaign (client_cid)', async () => {
      const { adapter } = adapterFor(sim);
      const { calls } = await allPages(adapter, { ...WINDOW, campaignExternalId: 'd00dfeed', pageSize: 10 });
      const expected = inWindow(sim, WINDOW.from, WINDOW.to, 'd00dfeed');
      expect(calls.map((c) => c.externalId)).toEqual(expected.map((c) => c.uuid));
      expect(calls.every((c) => c.campaignExternalId === 'd00dfeed')).toBe(true);
      expect(sim.requests().every((r) => r.query.client_cid === 'd00dfeed')).toBe(true);
    });

    it('skips malformed rows, logs how many (without data), and still reads every good row', async () => {
      const { adapter, logs } = adapterFor(sim);
      sim.injectFaults({ malformedRows: 5 });
      const { pages, calls } = await allPages(adapter, { ...WINDOW, pageSize: 50 });
      expect(pages[0]).toHaveLength(50);
      expect(calls).toHaveLength(120);
      const warning = logs.find((l) => l.level === 'warn');
      expect(warning?.fields).toMatchObject({ skipped: 5, rows: 55, page: '1' });
      expect(JSON.stringify(logs)).not.toContain(sim.credentials.apiKey);
    });

    it('resumes from a cursor in a fresh adapter (the cursor is all the state)', async () => {
      const first = await adapterFor(sim).adapter.getCalls({ ...WINDOW, pageSize: 40 });
      const rest = await allPagesFrom(adapterFor(sim).adapter, first.nextCursor!);
      expect([...first.calls, ...rest].map((c) => c.externalId)).toEqual(
        inWindow(sim, WINDOW.from, WINDOW.to).map((c) => c.uuid),
      );
    });

    it('refuses a cursor it did not issue', async () => {
      const error = await caught(adapterFor(sim).adapter.getCalls(WINDOW, 'not-a-cursor'));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('invalid_cursor');
      expect(sim.requestCount()).toBe(0);
    });

    it('gets one call by uuid, and a clear not_found for an unknown one', async () => {
      const { adapter } = adapterFor(sim);
      const record = sim.calls()[10];
      await expect(adapter.getCall(record.uuid)).resolves.toEqual(mapCallRecord(record));
      const error = await caught(adapter.getCall('00000000-0000-4000-8000-000000000000'));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('not_found');
      expect((error as ProviderError).retryable).toBe(false);
      // a 404 is an answer, not a retry
      expect(sim.requestCount('/api/v2/calls/')).toBe(2);
    });
  });

  describe('faults', () => {
    it('waits out a 429 with Retry-After, then succeeds', async () => {
      const { adapter } = adapterFor(sim);
      sim.injectFaults({ rateLimited: 1, retryAfterSeconds: 1 });
      const started = Date.now();
      const page = await adapter.getCalls({ ...WINDOW, pageSize: 10 });
      expect(page.calls).toHaveLength(10);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(sim.requests().map((r) => r.status)).toEqual([429, 200]);
    });

    it('gives up on a 429 that does not stop with a retryable rate_limited error carrying Retry-After', async () => {
      const { adapter } = adapterFor(sim, { maxAttempts: 1 });
      sim.injectFaults({ rateLimited: 5, retryAfterSeconds: 7 });
      const error = await caught(adapter.getCalls(WINDOW));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('rate_limited');
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as ProviderError).retryAfterMs).toBe(7000);
    });

    it('retries 5xx answers and succeeds', async () => {
      const { adapter } = adapterFor(sim);
      sim.injectFaults({ serverErrors: 2 });
      const page = await adapter.getCalls({ ...WINDOW, pageSize: 10 });
      expect(page.calls).toHaveLength(10);
      expect(sim.requests().map((r) => r.status)).toEqual([500, 503, 200]);
    });

    it('turns a persistent 5xx into a retryable ProviderError after the last attempt, without the key in it', async () => {
      const { adapter } = adapterFor(sim, { maxAttempts: 3 });
      sim.injectFaults({ serverErrors: 100 });
      const error = await caught(adapter.getCalls(WINDOW));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).retryable).toBe(true);
      expect([500, 503]).toContain((error as ProviderError).status);
      expect(sim.requestCount('/api/v2/calls.json')).toBe(3);
      expect(String((error as Error).message)).not.toMatch(/api_key|sim-retreaver-key/);
    });

    it('times out a slow answer as a retryable error', async () => {
      const base = context(sim).ctx;
      const ctx: ProviderContext<RetreaverCredentials> = {
        ...base,
        http: new UndiciProviderHttpClient({
          provider: 'retreaver',
          rateLimitKey: 'slow',
          retryPolicy: new RetryPolicy({ maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }),
          defaultTimeoutMs: 300,
        }),
      };
      sim.injectFaults({ latencyMs: 3_000 });
      const error = await caught(new RetreaverAdapter(ctx).getCalls(WINDOW));
      sim.injectFaults({ latencyMs: 0 });
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('timeout');
      expect((error as ProviderError).retryable).toBe(true);
    });
  });

  describe('campaigns and numbers', () => {
    it('lists and gets campaigns by cid', async () => {
      const { adapter } = adapterFor(sim);
      const campaigns = await adapter.getCampaigns();
      expect(campaigns.map((c) => [c.externalId, c.name])).toEqual([
        ['c0ffee01', 'Home Insurance - Inbound'],
        ['d00dfeed', 'Auto Insurance'],
        ['beefcafe', 'Medicare Advantage'],
      ]);
      await expect(adapter.getCampaign('d00dfeed')).resolves.toMatchObject({
        externalId: 'd00dfeed',
        name: 'Auto Insurance',
      });
      const error = await caught(adapter.getCampaign('nope'));
      expect((error as ProviderError).code).toBe('not_found');
    });

    it('lists numbers, provisions toll-free and local numbers, and releases them', async () => {
      const { adapter } = adapterFor(sim);
      const before = await adapter.getNumbers();
      expect(before).toHaveLength(6);
      expect(before.every((n) => /^\+1\d{10}$/.test(n.number) && n.campaignExternalId)).toBe(true);

      const tollFree = await adapter.provisionNumber({
        campaignExternalId: 'c0ffee01',
        extra: { afid: 'pub-1', sid: 'sub-9' },
      });
      expect(tollFree).toMatchObject({ campaignExternalId: 'c0ffee01', isTollFree: true });
      const local = await adapter.provisionNumber({
        campaignExternalId: 'd00dfeed',
        countryCode: 'us',
        extra: { afid: 'pub-2' },
      });
      expect(local.isTollFree).toBe(false);
      const posted = sim.requests().filter((r) => r.method === 'POST');
      expect(posted).toHaveLength(2);

      const after = await adapter.getNumbers();
      expect(after.map((n) => n.externalId)).toEqual(
        expect.arrayContaining([tollFree.externalId, local.externalId]),
      );
      expect(after).toHaveLength(8);

      await adapter.releaseNumber(tollFree.externalId);
      // releasing again finds it gone, which is what was asked
      await expect(adapter.releaseNumber(tollFree.externalId)).resolves.toBeUndefined();
      expect((await adapter.getNumbers()).map((n) => n.externalId)).not.toContain(tollFree.externalId);
    });

    it('refuses provisioning without what Retreaver needs, before any request', async () => {
      const { adapter } = adapterFor(sim);
      const missing = await caught(adapter.provisionNumber({ campaignExternalId: 'c0ffee01' }));
      expect((missing as ProviderError).code).toBe('invalid_request');
      await expect(
        adapter.provisionNumber({ campaignExternalId: 'c0ffee01', areaCode: '212', extra: { afid: 'a' } }),
      ).rejects.toBeInstanceOf(NotSupportedError);
      expect(sim.requestCount()).toBe(0);
    });

    it('reports Retreaver refusing a provisioning request as a non-retryable error', async () => {
      const { adapter } = adapterFor(sim);
      const error = await caught(
        adapter.provisionNumber({ campaignExternalId: 'no-such-cid', extra: { afid: 'a' } }),
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).status).toBe(400);
      expect((error as ProviderError).retryable).toBe(false);
    });

    it('does not retry a provisioning POST on a 5xx (it may have created a number)', async () => {
      const { adapter } = adapterFor(sim);
      sim.injectFaults({ serverErrors: 1 });
      const error = await caught(
        adapter.provisionNumber({ campaignExternalId: 'c0ffee01', extra: { afid: 'a' } }),
      );
      expect((error as ProviderError).retryable).toBe(true);
      expect(sim.requestCount('/numbers.json')).toBe(1);
    });
  });

  describe('index paging (Link header) for numbers and campaigns', () => {
    it('follows rel="next" to the end', async () => {
      const small = createRetreaverSimulator({ seed: 7, historyCalls: 3, maxPerPage: 2 });
      await small.start();
      try {
        const { adapter } = adapterFor(small);
        expect(await adapter.getNumbers()).toHaveLength(6);
        expect(small.requestCount('/numbers.json')).toBe(3);
        expect(await adapter.getCampaigns()).toHaveLength(3);
        expect(small.requestCount('/campaigns.json')).toBe(2);
      } finally {
        await small.stop();
      }
    });
  });

  describe('reports', () => {
    function expectedTotals(from: Date, to: Date) {
      const calls = inWindow(sim, from, to);
      const cents = (key: 'revenue' | 'payout') =>
        calls.reduce((n, c) => n + Math.round(Number(c[key] ?? 0) * 100), 0);
      const fmt = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}00`;
      return {
        totalCalls: calls.length,
        connectedCalls: calls.filter((c) => c.connected === true).length,
        convertedCalls: calls.filter((c) => c.converted === true).length,
        revenue: fmt(cents('revenue')),
        payout: fmt(cents('payout')),
      };
    }

    it('computes the report from the calls API by default', async () => {
      const { adapter } = adapterFor(sim);
      const report = await adapter.getCallReport(WINDOW.from, WINDOW.to);
      expect(report).toMatchObject({
        ...expectedTotals(WINDOW.from, WINDOW.to),
        providerData: { source: 'calls' },
      });
      expect(report.byCampaign?.map((r) => r.campaignExternalId).sort()).toEqual([
        'beefcafe',
        'c0ffee01',
        'd00dfeed',
      ]);
      expect(report.byCampaign?.reduce((n, r) => n + r.calls, 0)).toBe(120);
      expect(sim.requestCount('/api/v1/reports.json')).toBe(0);
    });

    it("uses Retreaver's report when the connection asks for it, counting connected calls from the calls API", async () => {
      const { adapter } = adapterFor(sim, { settings: { reportSource: 'provider' } });
      const report = await adapter.getCallReport(WINDOW.from, WINDOW.to);
      expect(report).toMatchObject(expectedTotals(WINDOW.from, WINDOW.to));
      expect(report.providerData).toMatchObject({ source: 'provider' });
      expect(report.byCampaign).toHaveLength(3);
      expect(sim.requestCount('/api/v1/reports.json')).toBe(1);
      expect(sim.requests()[0].query).toMatchObject({ domain: 'calls', facet: 'campaign' });
    });
  });

  describe('operations Retreaver has no API for', () => {
    it('has no methods for them (no NotSupportedError stubs), so the platform never calls them', () => {
      const { adapter } = adapterFor(sim);
      expect(capabilitiesOf(adapter)).not.toContain('callUpdates');
      expect(capabilitiesOf(adapter)).not.toContain('webhookRegistration');
      expect(sim.requestCount()).toBe(0);
    });
  });

  describe('campaign webhooks fired at a loopback receiver', () => {
    interface Captured {
      request: InboundWebhook;
      url: string;
    }
    let receiver: http.Server;
    let received: Captured[];
    let answer: number;
    let endpoint: string;
    const secret = 'whsec-Retreaver/+=token';

    beforeEach(async () => {
      received = [];
      answer = 202;
      receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const url = new URL(req.url ?? '/', 'http://127.0.0.1');
          const query: Record<string, string | string[]> = {};
          for (const [key, value] of url.searchParams) {
            const prev = query[key];
            query[key] = prev === undefined ? value : ([] as string[]).concat(prev, value);
          }
          const rawBody = Buffer.concat(chunks);
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(req.headers))
            if (typeof value === 'string') headers[key] = value;
          received.push({
            url: req.url ?? '',
            request: {
              method: req.method ?? 'GET',
              headers,
              query,
              contentType: headers['content-type'],
              rawBody,
              body: rawBody.length ? JSON.parse(rawBody.toString()) : undefined,
              receivedAt: new Date(),
              sourceIp: req.socket.remoteAddress,
            },
          });
          res.writeHead(answer).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/retreaver/00000000-0000-4000-8000-000000000001`;
    });
    afterEach(async () => {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    it('describes and maps every trigger of a connected, converted call', async () => {
      const { adapter } = adapterFor(sim);
      const fired = await sim.simulateCall(
        { webhookUrl: endpoint, secret },
        { connected: true, converted: true },
      );
      const callId = fired[0].callId;
      expect(fired).toEqual(
        ['incoming', 'selected', 'answered', 'converted', 'completed'].map((trigger) => ({
          trigger,
          status: 202,
          callId,
        })),
      );
      expect(received).toHaveLength(5);

      const record = sim.calls().find((c) => c.uuid === callId)!;
      const described = received.map((r) => adapter.describeWebhook(r.request));
      const events = received.map((r) => adapter.mapWebhook(r.request));

      for (const { request, url } of received) {
        expect(request.method).toBe('GET');
        expect(url.startsWith('/webhooks/retreaver/00000000-0000-4000-8000-000000000001?')).toBe(true);
        // what the platform's token check reads
        expect(request.query.token).toBe(secret);
        // nothing left unreplaced that the call has a value for
        expect(url).not.toMatch(/%5Bcall_uuid%5D|\[call_uuid\]/);
      }
      expect(described).toEqual([
        { eventType: 'call.started', eventId: `${callId}:incoming` },
        { eventType: 'call.updated', eventId: `${callId}:selected` },
        { eventType: 'call.answered', eventId: `${callId}:answered` },
        { eventType: 'call.converted', eventId: `${callId}:converted` },
        { eventType: 'call.completed', eventId: `${callId}:completed` },
      ]);
      expect(events.map((e) => [e.type, e.eventId, e.call.status])).toEqual([
        ['call.started', `${callId}:incoming`, 'ringing'],
        ['call.updated', `${callId}:selected`, 'ringing'],
        ['call.answered', `${callId}:answered`, 'in_progress'],
        ['call.converted', `${callId}:converted`, 'in_progress'],
        ['call.completed', `${callId}:completed`, 'completed'],
      ]);
      for (const event of events) {
        expect(event.call).toMatchObject({
          externalId: callId,
          callerNumber: record.caller,
          trackingNumber: record.number,
          campaignExternalId: record.cid,
        });
        expect(event.occurredAt).toBeInstanceOf(Date);
        expect(JSON.stringify(event)).not.toContain(secret);
      }
      const [started, , answered, converted, completed] = events;
      expect(started.call.startedAt).toBeInstanceOf(Date);
      expect(answered.call.answeredAt).toBeInstanceOf(Date);
      expect(converted.call.converted).toBe(true);
      expect(completed.call).toMatchObject({
        durationSeconds: record.total_duration,
        recordingUrl: record.recording_url,
      });
      expect(completed.call.endedAt).toBeInstanceOf(Date);
      // Retreaver documents no token for the target: no template carries one (the sync fills the buyer).
      expect(received.every((r) => !r.url.includes('target_id'))).toBe(true);
      expect(events.every((e) => e.warnings === undefined)).toBe(true);
      if (record.afid) {
        for (const event of events)
          expect(event.call.tags).toMatchObject({ publisherId: String(record.afid) });
      }

      // The API, read afterwards, agrees with what the webhooks said.
      const fromApi = await adapter.getCall(callId);
      expect(fromApi).toMatchObject({
        externalId: callId,
        status: 'completed',
        converted: true,
        callerNumber: record.caller,
        campaignExternalId: record.cid,
        recordingUrl: completed.call.recordingUrl,
        durationSeconds: completed.call.durationSeconds,
      });
    });

    it('drops a redelivery: the same request describes to the same event id', async () => {
      const { adapter } = adapterFor(sim);
      await sim.simulateCall({ webhookUrl: endpoint, secret }, { connected: true, converted: false });
      const ids = received.map((r) => adapter.describeWebhook(r.request).eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(received.map((r) => adapter.describeWebhook(r.request).eventId)).toEqual(ids);
    });

    it('fires Start and end of call for a call nobody answered; the sync corrects the outcome', async () => {
      const { adapter } = adapterFor(sim);
      const fired = await sim.simulateCall(
        { webhookUrl: endpoint, secret },
        { connected: false, system_target_id: null },
      );
      expect(fired.map((f) => f.trigger)).toEqual(['incoming', 'completed']);
      const events = received.map((r) => adapter.mapWebhook(r.request));
      expect(events.map((e) => e.type)).toEqual(['call.started', 'call.completed']);
      expect(events[1].call.recordingUrl).toBeUndefined();
      // The end-of-call URL has no connected flag, so the webhook says completed; the API knows better.
      expect(events[1].call.status).toBe('completed');
      expect((await adapter.getCall(fired[0].callId)).status).toBe('missed');
    });

    it('the simulator reports the status the receiver answered, and 0 when nobody listens', async () => {
      answer = 500;
      const fired = await sim.simulateCall(
        { webhookUrl: endpoint, secret },
        { connected: true, converted: false },
      );
      expect(fired.every((f) => f.status === 500)).toBe(true);

      const gone = await sim.simulateCall(
        { webhookUrl: 'http://127.0.0.1:9/webhooks/retreaver/x', secret },
        {},
      );
      expect(gone.every((f) => f.status === 0)).toBe(true);
    });

    it('a request without a call id cannot be mapped', async () => {
      const { adapter } = adapterFor(sim);
      await sim.simulateCall({ webhookUrl: endpoint, secret }, { connected: true, converted: false });
      const request = received[0].request;
      const withoutId: InboundWebhook = { ...request, query: { ...request.query, uuid: '[call_uuid]' } };
      expect(() => adapter.mapWebhook(withoutId)).toThrow(MappingError);
      expect(adapter.describeWebhook(withoutId).eventId).toBeUndefined();
    });
  });
});

async function allPagesFrom(adapter: RetreaverAdapter, cursor: string): Promise<NormalizedCall[]> {
  const calls: NormalizedCall[] = [];
  let next: string | undefined = cursor;
  while (next) {
    const page = await adapter.getCalls(WINDOW, next);
    calls.push(...page.calls);
    next = page.nextCursor;
  }
  return calls;
}
