import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RingbaAdapter, type RingbaCredentials } from '@switchboard/plugin-ringba';
import {
  CALL_STATUS_STAGE,
  CredentialsError,
  NotSupportedError,
  ProviderError,
  readDecimal,
  reportFromHistory,
  validateAdapterCredentials,
  capabilitiesOf,
  type CallFilters,
  type InboundWebhook,
  type NormalizedCall,
  type SkippedRow,
  type NormalizedCallEvent,
  type PluginLogger,
} from '@switchboard/plugin-sdk';
import {
  createRingbaSimulator,
  type RingbaSimulator,
  type RingbaSimulatorOptions,
  type SimCallRecord,
} from '../../simulators/src/ringba/index.js';
import { createTestProviderContext } from '../../support/provider-context.js';

const HISTORY_END = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const WINDOW: CallFilters = { from: new Date(HISTORY_END.getTime() - 4 * 24 * 3600_000), to: HISTORY_END };

interface AdapterOptions {
  credentials?: Partial<RingbaCredentials>;
  settings?: Record<string, unknown>;
  maxAttempts?: number;
  logger?: PluginLogger;
}

function adapterFor(sim: RingbaSimulator, options: AdapterOptions = {}): RingbaAdapter {
  const context = createTestProviderContext<RingbaCredentials>({
    provider: 'ringba',
    credentials: { ...sim.credentials, ...options.credentials },
    apiBaseUrl: sim.baseUrl,
    settings: options.settings,
    maxAttempts: options.maxAttempts,
  });
  return new RingbaAdapter(options.logger ? { ...context, logger: options.logger } : context);
}

async function startSimulator(options: RingbaSimulatorOptions = {}): Promise<RingbaSimulator> {
  const sim = createRingbaSimulator({ seed: 7, historyEnd: HISTORY_END, ...options });
  await sim.start();
  return sim;
}

async function allPages(adapter: RingbaAdapter, filters: CallFilters) {
  const pages: Array<{ calls: NormalizedCall[]; total?: number; cursor?: string; skipped?: SkippedRow[] }> =
    [];
  let cursor: string | undefined;
  do {
    const page = await adapter.getCalls(filters, cursor);
    pages.push({ calls: page.calls, total: page.total, cursor: page.nextCursor, skipped: page.skipped });
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

function inWindow(sim: RingbaSimulator, filters: CallFilters): SimCallRecord[] {
  return sim
    .history()
    .filter((c) => c.callDt >= filters.from.getTime() && c.callDt < filters.to.getTime())
    .filter((c) => !filters.campaignExternalId || c.campaignId === filters.campaignExternalId);
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected the promise to reject');
}

describe('ringba plugin against the simulator', () => {
  describe('credentials', () => {
    let sim: RingbaSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ historyCalls: 5 });
    });
    afterAll(() => sim.stop());

    it('accepts the right account id and token', async () => {
      const adapter = adapterFor(sim);
      await expect(adapter.authenticate()).resolves.toBeUndefined();
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(true);
      expect(sim.requestCount('/calllogs/columns')).toBe(2);
    });

    it('refuses a wrong token with a clear, non-retryable CredentialsError that does not echo it', async () => {
      const adapter = adapterFor(sim, { credentials: { apiToken: 'wrong-token-value-123' } });
      const error = await rejection(adapter.authenticate());
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(error.message).not.toContain('wrong-token-value-123');
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(false);
    });

    it('refuses a token used with another account (403)', async () => {
      const adapter = adapterFor(sim, { credentials: { accountId: 'RA00000000000000000000000000000000' } });
      const error = await rejection(adapter.authenticate());
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error.status).toBe(403);
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(false);
    });

    it('does not call an unreachable API "invalid credentials"', async () => {
      const closed = await startSimulator({ historyCalls: 1 });
      const adapter = adapterFor(closed, { maxAttempts: 1 });
      await closed.stop();
      const error = await rejection(validateAdapterCredentials(adapter));
      expect(error).not.toBeInstanceOf(CredentialsError);
      expect(error.retryable).toBe(true);
    });
  });

  describe('call log paging', () => {
    let sim: RingbaSimulator;
    beforeEach(async () => {
      sim = await startSimulator({ historyCalls: 250 });
    });
    afterEach(() => sim.stop());

    it('pages a multi-page window to the end, oldest first, without gaps or repeats', async () => {
      const adapter = adapterFor(sim);
      const pages = await allPages(adapter, { ...WINDOW, pageSize: 100 });
      expect(pages.map((p) => p.calls.length)).toEqual([100, 100, 50]);
      expect(pages.every((p) => p.total === 250)).toBe(true);
      expect(sim.requestCount('/calllogs')).toBe(3);
      const ids = pages.flatMap((p) => p.calls.map((c) => c.externalId));
      expect(ids).toEqual(inWindow(sim, WINDOW).map((c) => c.inboundCallId));
      const starts = pages.flatMap((p) => p.calls.map((c) => c.startedAt!.getTime()));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    });

    it('maps statuses, money and numbers of the listed calls', async () => {
      const calls = (await allPages(adapterFor(sim), { ...WINDOW, pageSize: 1000 })).flatMap((p) => p.calls);
      const statuses = new Set(calls.map((c) => c.status));
      for (const status of ['completed', 'missed', 'canceled', 'failed', 'rejected'] as const) {
        expect(statuses).toContain(status);
      }
      const records = new Map(sim.history().map((r) => [r.inboundCallId, r]));
      for (const call of calls) {
        const record = records.get(call.externalId)!;
        expect(call.callerNumber).toBe(record.inboundPhoneNumber);
        expect(call.trackingNumber).toBe(record.number);
        expect(call.campaignExternalId).toBe(record.campaignId);
        expect(call.revenue).toBe(readDecimal(record.conversionAmount));
        expect(call.payout).toBe(readDecimal(record.payoutAmount));
        if (record.isLive) expect(['ringing', 'in_progress']).toContain(call.status);
        if (record.blockReason) expect(call.status).toBe('rejected');
        if (!record.isLive && record.hasConnected) expect(call.status).toBe('completed');
        expect(call.providerData).not.toHaveProperty('events');
      }
    });

    it('stops after one page when the window fits exactly', async () => {
      const pages = await allPages(adapterFor(sim), { ...WINDOW, pageSize: 250 });
      expect(pages).toHaveLength(1);
      expect(pages[0].calls).toHaveLength(250);
      expect(pages[0].cursor).toBeUndefined();
      expect(sim.requestCount('/calllogs')).toBe(1);
    });

    it('stops when the last page is exactly full', async () => {
      const pages = await allPages(adapterFor(sim), { ...WINDOW, pageSize: 125 });
      expect(pages.map((p) => p.calls.length)).toEqual([125, 125]);
      expect(sim.requestCount('/calllogs')).toBe(2);
    });

    it('answers an empty window with no calls and no cursor', async () => {
      const empty = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-02T00:00:00Z') };
      const page = await adapterFor(sim).getCalls(empty);
      expect(page).toEqual({ calls: [], nextCursor: undefined, total: 0 });
    });

    it('filters by campaign', async () => {
      const campaign = sim.world.campaigns[1];
      const filters = { ...WINDOW, campaignExternalId: campaign.id, pageSize: 30 };
      const calls = (await allPages(adapterFor(sim), filters)).flatMap((p) => p.calls);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.map((c) => c.externalId)).toEqual(inWindow(sim, filters).map((c) => c.inboundCallId));
      expect(calls.every((c) => c.campaignName === campaign.name)).toBe(true);
    });

    it('caps the page size at 1,000 (the simulator refuses more, as the reference documents)', async () => {
      const page = await adapterFor(sim).getCalls({ ...WINDOW, pageSize: 5000 });
      expect(page.calls).toHaveLength(250);
      expect(page.nextCursor).toBeUndefined();
    });

    it('skips malformed rows, says so in the log, and keeps paging from the right offset', async () => {
      const warnings: Array<Record<string, unknown> | undefined> = [];
      const logger: PluginLogger = {
        debug() {},
        info() {},
        error() {},
        warn: (_m, fields) => warnings.push(fields),
      };
      sim.injectFaults({ malformedRows: 3 });
      const pages = await allPages(adapterFor(sim, { logger }), { ...WINDOW, pageSize: 100 });
      expect(pages.map((p) => p.calls.length)).toEqual([97, 100, 50]);
      const ids = pages.flatMap((p) => p.calls.map((c) => c.externalId));
      expect(new Set(ids).size).toBe(247);
      expect(ids).toEqual(
        inWindow(sim, WINDOW)
          .slice(3)
          .map((c) => c.inboundCallId),
      );
      expect(warnings).toEqual([expect.objectContaining({ skipped: 3, offset: 0 })]);
      // The page says which rows it skipped and why.
      expect(pages[0].skipped?.map((r) => r.index)).toHaveLength(3);
      expect(pages[0].skipped?.every((r) => /inboundCallId|object/.test(r.reason))).toBe(true);
      expect(pages[1].skipped).toBeUndefined();
    });

    it('refuses a cursor replayed against another window', async () => {
      const adapter = adapterFor(sim);
      const first = await adapter.getCalls({ ...WINDOW, pageSize: 100 });
      const error = await rejection(
        adapter.getCalls({ ...WINDOW, from: new Date(0), pageSize: 100 }, first.nextCursor),
      );
      expect(error.code).toBe('invalid_cursor');
    });

    it('gives the SDK report of its history (no report of its own) by paging the whole window', async () => {
      const report = await reportFromHistory(adapterFor(sim), WINDOW.from, WINDOW.to, { pageSize: 1000 });
      const records = inWindow(sim, WINDOW);
      const cents = (key: string) => records.reduce((sum, r) => sum + Math.round(Number(r[key]) * 100), 0);
      expect(report.totalCalls).toBe(250);
      expect(report.convertedCalls).toBe(records.filter((r) => r.hasConverted).length);
      expect(report.connectedCalls).toBe(records.filter((r) => r.hasConnected).length);
      expect(report.revenue).toBe(readDecimal((cents('conversionAmount') / 100).toFixed(2)));
      expect(report.payout).toBe(readDecimal((cents('payoutAmount') / 100).toFixed(2)));
      expect(report.byCampaign?.reduce((n, row) => n + row.calls, 0)).toBe(250);
      expect(report.byCampaign?.map((row) => row.campaignName).sort()).toEqual(
        [...new Set(records.map((r) => String(r.campaignName)))].sort(),
      );
      expect(sim.requestCount('/calllogs')).toBe(1);
    });
  });

  describe('faults', () => {
    let sim: RingbaSimulator;
    beforeEach(async () => {
      sim = await startSimulator({ historyCalls: 20 });
    });
    afterEach(() => sim.stop());

    it('waits out a 429 with Retry-After, then succeeds', async () => {
      sim.injectFaults({ rateLimited: 1, retryAfterSeconds: 1 });
      const started = Date.now();
      const page = await adapterFor(sim).getCalls(WINDOW);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(page.calls).toHaveLength(20);
      expect(sim.requestCount('/calllogs')).toBe(2);
    });

    it('reports a 429 that outlasts the attempts as retryable, with the wait Ringba asked for', async () => {
      sim.injectFaults({ rateLimited: 5, retryAfterSeconds: 0 });
      const error = await rejection(adapterFor(sim, { maxAttempts: 2 }).getCalls(WINDOW));
      expect(error.code).toBe('rate_limited');
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(0);
      expect(sim.requestCount()).toBe(2);
    });

    it('retries 5xx on the call-log POST and succeeds', async () => {
      sim.injectFaults({ serverErrors: 2 });
      const page = await adapterFor(sim).getCalls(WINDOW);
      expect(page.calls).toHaveLength(20);
      expect(sim.requestCount('/calllogs')).toBe(3);
    });

    it('gives up on persistent 5xx with a retryable ProviderError', async () => {
      sim.injectFaults({ serverErrors: 10 });
      const error = await rejection(adapterFor(sim, { maxAttempts: 3 }).getCalls(WINDOW));
      expect(error).not.toBeInstanceOf(CredentialsError);
      expect(error.retryable).toBe(true);
      expect([500, 503]).toContain(error.status);
      expect(sim.requestCount('/calllogs')).toBe(3);
    });

    it('times out a slow answer as a retryable error', async () => {
      // undici checks header timeouts on a ~1 s clock, so the answer is much slower than the timeout.
      sim.injectFaults({ latencyMs: 2500 });
      const adapter = adapterFor(sim, { settings: { requestTimeoutMs: 200 }, maxAttempts: 1 });
      const started = Date.now();
      const error = await rejection(adapter.getCalls(WINDOW));
      expect(error.code).toBe('timeout');
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(2400);
    });

    it('answers slowly but correctly within the timeout', async () => {
      sim.injectFaults({ latencyMs: 50 });
      expect((await adapterFor(sim).getCampaigns()).length).toBe(3);
    });
  });

  describe('calls, campaigns and numbers', () => {
    let sim: RingbaSimulator;
    beforeEach(async () => {
      sim = await startSimulator({ historyCalls: 30 });
    });
    afterEach(() => sim.stop());

    it('gets one call with its detail (events, message-tags)', async () => {
      const record = sim.history().find((r) => r.hasConverted)!;
      const call = await adapterFor(sim).getCall(record.inboundCallId);
      expect(call).toMatchObject({
        externalId: record.inboundCallId,
        status: 'completed',
        converted: true,
        revenue: readDecimal(record.conversionAmount),
        answeredAt: new Date(Number(record.callConnectionDt)),
        endedAt: new Date(Number(record.callCompletedDt)),
        destinationNumber: record.targetNumber,
      });
      expect(call.tags).toHaveProperty('callerState');
      expect(call.providerData).toHaveProperty('events');
      expect(sim.requestCount('/calllogs/detail')).toBe(1);
    });

    it('reports an unknown call as a non-retryable not_found', async () => {
      const error = await rejection(adapterFor(sim).getCall('RGBDOESNOTEXIST'));
      expect(error).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
    });

    it('lists campaigns and gets one', async () => {
      const adapter = adapterFor(sim);
      const campaigns = await adapter.getCampaigns();
      expect(campaigns.map((c) => [c.externalId, c.name, c.isActive])).toEqual(
        sim.world.campaigns.map((c) => [c.id, c.name, c.enabled]),
      );
      await expect(adapter.getCampaign(sim.world.campaigns[2].id)).resolves.toMatchObject({
        externalId: sim.world.campaigns[2].id,
        name: 'Debt Relief',
        isActive: false,
      });
      expect((await rejection(adapter.getCampaign('CA404'))).code).toBe('not_found');
    });

    it('lists numbers in E.164', async () => {
      const numbers = await adapterFor(sim).getNumbers();
      expect(numbers).toHaveLength(6);
      expect(numbers.every((n) => /^\+1\d{10}$/.test(n.number))).toBe(true);
      expect(numbers.filter((n) => n.isTollFree)).toHaveLength(1);
      expect(numbers[0].campaignExternalId).toBe(sim.world.numbers[0].campaignId);
    });

    it('provisions a number and releases it', async () => {
      const adapter = adapterFor(sim);
      const number = await adapter.provisionNumber({ areaCode: '213' });
      expect(number.number).toMatch(/^\+1213555\d{4}$/);
      expect((await adapter.getNumbers()).map((n) => n.externalId)).toContain(number.externalId);
      const tollFree = await adapter.provisionNumber({ tollFree: true });
      expect(tollFree).toMatchObject({ isTollFree: true, number: expect.stringMatching(/^\+1888/) });

      await adapter.releaseNumber(number.externalId);
      expect((await adapter.getNumbers()).map((n) => n.externalId)).not.toContain(number.externalId);
      // Releasing again is a no-op: the number is already gone.
      await expect(adapter.releaseNumber(number.externalId)).resolves.toBeUndefined();
    });

    it('refuses to release a linked number unless unlinkOnRelease is set', async () => {
      const linked = sim.world.numbers[0].id;
      const error = await rejection(adapterFor(sim).releaseNumber(linked));
      expect(error).toMatchObject({ status: 400, retryable: false });
      expect(error.message).toMatch(/linked/);
      await adapterFor(sim, { settings: { unlinkOnRelease: true } }).releaseNumber(linked);
      expect(sim.world.numbers.map((n) => n.id)).not.toContain(linked);
    });

    it('refuses bad provisioning requests without retrying (a purchase is never repeated)', async () => {
      const adapter = adapterFor(sim);
      expect(await rejection(adapter.provisionNumber({ areaCode: '12' }))).toMatchObject({
        status: 400,
        retryable: false,
      });
      await expect(
        adapter.provisionNumber({ campaignExternalId: sim.world.campaigns[0].id }),
      ).rejects.toBeInstanceOf(NotSupportedError);
      sim.injectFaults({ serverErrors: 1 });
      const before = sim.requestCount('/numbers');
      expect((await rejection(adapter.provisionNumber({}))).retryable).toBe(true);
      expect(sim.requestCount('/numbers') - before).toBe(1);
    });

    it('has no methods for what Ringba does not offer (call updates, webhook registration, own report)', () => {
      const capabilities = capabilitiesOf(adapterFor(sim));
      for (const missing of ['callUpdates', 'webhookRegistration', 'reports'])
        expect(capabilities).not.toContain(missing);
    });
  });

  describe('pixels fired at a loopback receiver', () => {
    interface Captured {
      method: string;
      url: string;
      headers: http.IncomingHttpHeaders;
      body: Buffer;
      receivedAt: Date;
    }
    const SECRET = 'whsec/ringba+token=1&2';
    const CONNECTION = '3f6c1f2e-8d7a-4b7e-9a55-0c1d2e3f4a5b';
    let receiver: http.Server;
    let receiverUrl: string;
    let captured: Captured[] = [];
    let answerStatus = 200;

    beforeAll(async () => {
      receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          captured.push({
            method: req.method ?? '',
            url: req.url ?? '',
            headers: req.headers,
            body: Buffer.concat(chunks),
            receivedAt: new Date(),
          });
          res.writeHead(answerStatus).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
    beforeEach(() => {
      captured = [];
      answerStatus = 200;
    });

    const target = () => ({ webhookUrl: `${receiverUrl}/webhooks/ringba/${CONNECTION}`, secret: SECRET });

    /** What the ingress hands a plugin: token checked and stripped, body parsed. */
    function toInbound(request: Captured): InboundWebhook {
      const url = new URL(request.url, receiverUrl);
      expect(url.pathname).toBe(`/webhooks/ringba/${CONNECTION}`);
      expect(url.searchParams.get('token')).toBe(SECRET);
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        if (key === 'token') continue;
        const values = url.searchParams.getAll(key);
        query[key] = values.length > 1 ? values : values[0];
      }
      const contentType = request.headers['content-type'];
      const text = request.body.toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string') headers[name] = value;
      return {
        method: request.method,
        headers,
        query,
        contentType,
        rawBody: request.body,
        body: text ? (contentType?.includes('json') ? JSON.parse(text) : text) : undefined,
        receivedAt: request.receivedAt,
      };
    }

    function mapAll(adapter: RingbaAdapter): NormalizedCallEvent[] {
      return captured.map((request) => {
        const inbound = toInbound(request);
        const description = adapter.describeWebhook(inbound);
        const event = adapter.mapWebhook(inbound);
        expect(description).toEqual({ eventId: event.eventId, eventType: event.type });
        return event;
      });
    }

    /** Folds events like the store does: later values win, a status never moves back a stage. */
    function fold(events: NormalizedCallEvent[]): Omit<NormalizedCall, 'providerData'> {
      const state: Partial<NormalizedCall> = {};
      for (const { call } of events) {
        const { providerData: _data, tags: _tags, status, ...fields } = call;
        Object.assign(state, fields);
        if (status && (!state.status || CALL_STATUS_STAGE[status] >= CALL_STATUS_STAGE[state.status])) {
          state.status = status;
        }
      }
      return state as Omit<NormalizedCall, 'providerData'>;
    }

    it.each(['GET', 'POST'] as const)(
      'fires a converted call lifecycle as %s pixels that describe and map back to the call',
      async (pixelMethod) => {
        const sim = await startSimulator({
          historyCalls: 3,
          pixelMethod,
          seed: pixelMethod === 'GET' ? 11 : 12,
        });
        try {
          const adapter = adapterFor(sim, { settings: { pixelMethod } });
          const fired = await sim.simulateCall(target());
          const callId = fired[0].callId;
          const record = sim.history().find((r) => r.inboundCallId === callId)!;

          expect(fired.map((f) => [f.trigger, f.status])).toEqual(
            ['incoming', 'connected', 'converted', 'payout', 'completed', 'finalized', 'recording'].map(
              (t) => [t, 200],
            ),
          );
          expect(captured.map((c) => c.method)).toEqual(fired.map(() => pixelMethod));
          if (pixelMethod === 'POST')
            expect(captured.every((c) => c.headers['content-type'] === 'application/json')).toBe(true);

          const events = mapAll(adapter);
          expect(events.map((e) => e.eventId)).toEqual(fired.map((f) => `${callId}:${f.trigger}`));
          expect(events.map((e) => e.type)).toEqual([
            'call.started',
            'call.answered',
            'call.converted',
            'call.payout',
            'call.completed',
            'call.completed',
            'call.recording',
          ]);
          expect(events.map((e) => e.call.status)).toEqual([
            'ringing',
            'in_progress',
            undefined,
            undefined,
            'completed',
            undefined,
            undefined,
          ]);
          for (const event of events) {
            expect(event.call).toMatchObject({
              externalId: callId,
              callerNumber: record.inboundPhoneNumber,
              trackingNumber: record.number,
              campaignName: record.campaignName,
            });
            // Ringba has no pixel token for the campaign id or the target's number: the sync fills them.
            expect(event.call.campaignExternalId).toBeUndefined();
            expect(event.warnings).toBeUndefined();
            expect(event.call.tags).toMatchObject({
              publisherId: record.publisherId,
              publisherName: record.publisherName,
            });
            expect(event.call.providerData).not.toHaveProperty('token');
          }
          const byTrigger = Object.fromEntries(fired.map((f, i) => [f.trigger, events[i].call]));
          expect(byTrigger.incoming.tags).toHaveProperty('callerState');
          expect(byTrigger.connected.tags).toMatchObject({ targetName: record.targetName });
          expect(byTrigger.converted).toMatchObject({
            converted: true,
            revenue: readDecimal(record.conversionAmount),
          });
          expect(byTrigger.payout.payout).toBe(readDecimal(record.payoutAmount));
          expect(byTrigger.completed.durationSeconds).toBe(record.callLengthInSeconds);
          expect(byTrigger.completed.tags).toMatchObject({ endCallSource: 'Caller' });
          expect(byTrigger.recording.recordingUrl).toBe(record.recordingUrl);

          // What the pixels add up to agrees with what the API says about the same call.
          const fromPixels = fold(events);
          const fromApi = await adapter.getCall(callId);
          for (const key of [
            'status',
            'callerNumber',
            'trackingNumber',
            'campaignName',
            'converted',
            'revenue',
            'payout',
            'recordingUrl',
            'durationSeconds',
          ] as const) {
            expect([key, fromPixels[key]]).toEqual([key, fromApi[key]]);
          }
        } finally {
          await sim.stop();
        }
      },
    );

    it.each([
      ['missed', ['incoming', 'finalized'], 'missed'],
      ['canceled', ['incoming', 'finalized'], 'canceled'],
      ['rejected', ['incoming', 'finalized'], 'rejected'],
      ['error', ['incoming', 'error', 'finalized'], 'failed'],
      ['completed', ['incoming', 'connected', 'completed', 'finalized', 'recording'], 'completed'],
    ] as const)(
      'fires a %s call; pixels and the API agree on its end',
      async (outcome, triggers, apiStatus) => {
        const sim = await startSimulator({ historyCalls: 2 });
        try {
          const adapter = adapterFor(sim);
          const fired = await sim.simulateCall(target(), { outcome });
          expect(fired.map((f) => f.trigger)).toEqual([...triggers]);
          const events = mapAll(adapter);
          expect(new Set(events.map((e) => e.eventId)).size).toBe(triggers.length);
          const finalized = events[triggers.indexOf('finalized')];
          expect(finalized.type).toBe('call.completed');
          expect(finalized.call.endedAt).toEqual(captured[triggers.indexOf('finalized')].receivedAt);
          if (outcome === 'error') expect(events[1].call.status).toBe('failed');
          const fromApi = await adapter.getCall(fired[0].callId);
          expect(fromApi.status).toBe(apiStatus);
          if (outcome !== 'completed') expect(fromApi.converted).toBe(false);
        } finally {
          await sim.stop();
        }
      },
    );

    it('reads tokens Ringba left unreplaced as absent', async () => {
      const sim = await startSimulator({ historyCalls: 1 });
      try {
        const fired = await sim.simulateCall(target(), {
          unreplacedTokens: [
            '[tag:Publisher:Name]',
            '[Call:ConversionAmount]',
            '[tag:InboundNumber:Number-NoPlus]',
          ],
        });
        expect(captured[0].url).toContain('publisher_name=[tag:Publisher:Name]');
        const events = mapAll(adapterFor(sim));
        expect(events).toHaveLength(fired.length);
        for (const event of events) {
          expect(event.call.tags?.publisherName).toBeUndefined();
          expect(event.call.callerNumber).toBeUndefined();
          expect(event.warnings).toBeUndefined();
          expect(event.call.campaignName).toBeDefined();
        }
        expect(events.find((e) => e.type === 'call.converted')!.call.revenue).toBeUndefined();
      } finally {
        await sim.stop();
      }
    });

    it('reports the status the receiver answered', async () => {
      const sim = await startSimulator({ historyCalls: 1 });
      try {
        answerStatus = 503;
        const fired = await sim.simulateCall(target(), { outcome: 'missed' });
        expect(fired.map((f) => f.status)).toEqual([503, 503]);
      } finally {
        await sim.stop();
      }
    });

    it('gives the same lifecycle for the same seed', async () => {
      const runs: string[][] = [];
      for (let i = 0; i < 2; i++) {
        captured = [];
        const sim = await startSimulator({ historyCalls: 2, seed: 99 });
        try {
          const fired = await sim.simulateCall(target());
          runs.push(captured.map((c) => c.url.replace(/^.*?&event=/, '')));
          expect(fired).toHaveLength(7);
        } finally {
          await sim.stop();
        }
      }
      expect(runs[0]).toEqual(runs[1]);
    });
  });
});
