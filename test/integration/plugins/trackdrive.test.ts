import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CredentialsError,
  ProviderError,
  RetryPolicy,
  capabilitiesOf,
  reportFromHistory,
  validateAdapterCredentials,
} from '@switchboard/core';
import type {
  InboundWebhook,
  NormalizedCall,
  NormalizedCallEvent,
  ProviderContext,
  ProviderHttpRequest,
} from '@switchboard/plugin-sdk';
import { TrackDriveAdapter, type TrackDriveCredentials } from '@switchboard/plugin-trackdrive';
import { UndiciProviderHttpClient } from '@switchboard/provider-http';
import {
  createTrackDriveSimulator,
  type TrackDriveSimulator,
} from '../../simulators/src/trackdrive/index.js';
import { createTestProviderContext, silentLogger } from '../../support/provider-context.js';

const HISTORY = 120;

function contextFor(
  sim: TrackDriveSimulator,
  credentials: Partial<TrackDriveCredentials> = {},
): ProviderContext<TrackDriveCredentials> {
  return createTestProviderContext<TrackDriveCredentials>({
    provider: 'trackdrive',
    credentials: { ...sim.credentials, ...credentials },
    apiBaseUrl: sim.baseUrl,
  });
}

function adapterFor(sim: TrackDriveSimulator, credentials: Partial<TrackDriveCredentials> = {}) {
  return new TrackDriveAdapter(contextFor(sim, credentials));
}

/** Creation time of a history row, in ms. */
function createdMs(record: Record<string, unknown>): number {
  return Date.parse(String(record.created_at));
}

/** Money strings summed in cents*100 (4 places), as the report must. */
function sumMoney(values: unknown[]): string {
  let units = 0n;
  for (const value of values) {
    const [whole, fraction = ''] = String(value ?? '0').split('.');
    units += BigInt(whole) * 10_000n + BigInt((fraction + '0000').slice(0, 4));
  }
  const text = units.toString().padStart(5, '0');
  return `${text.slice(0, -4)}.${text.slice(-4)}`;
}

async function allPages(
  adapter: TrackDriveAdapter,
  filters: { from: Date; to: Date; pageSize?: number; campaignExternalId?: string },
) {
  const calls: NormalizedCall[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.getCalls(filters, cursor);
    calls.push(...page.calls);
    cursor = page.nextCursor;
    pages++;
    if (pages > 100) throw new Error('paging did not end');
  } while (cursor);
  return { calls, pages };
}

describe('TrackDrive plugin against the simulated API', () => {
  let sim: TrackDriveSimulator;
  let history: Array<Record<string, unknown>>;
  let everything: { from: Date; to: Date };

  beforeAll(async () => {
    sim = createTrackDriveSimulator({ seed: 7, historyCalls: HISTORY });
    await sim.start();
    history = sim.history();
    everything = { from: new Date(createdMs(history[HISTORY - 1])), to: new Date(createdMs(history[0]) + 1) };
  });

  afterAll(async () => {
    await sim.stop();
  });

  afterEach(() => {
    sim.injectFaults({ serverErrors: 0, rateLimited: 0, latencyMs: 0, malformedRows: 0 });
  });

  describe('credentials', () => {
    it('accepts the simulator key pair', async () => {
      const adapter = adapterFor(sim);
      await expect(adapter.authenticate()).resolves.toBeUndefined();
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(true);
    });

    it('refuses a wrong key pair with a clear, non-retryable CredentialsError, once', async () => {
      const wrongKey = 'tdprv_wrong_but_secret_value';
      const adapter = adapterFor(sim, { privateKey: wrongKey });
      const before = sim.requestCount('/api/v1/calls');
      const error = await adapter.authenticate().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error).toMatchObject({ status: 401, retryable: false, code: 'invalid_credentials' });
      expect((error as Error).message).toContain('switchboard-sim');
      expect((error as Error).message).not.toContain(wrongKey);
      expect(sim.requestCount('/api/v1/calls') - before).toBe(1);
      await expect(validateAdapterCredentials(adapter)).resolves.toBe(false);
      await expect(validateAdapterCredentials(adapterFor(sim, { publicKey: 'tdpub_unknown' }))).resolves.toBe(
        false,
      );
    });

    it('refuses every API call made with wrong credentials', async () => {
      const adapter = adapterFor(sim, { privateKey: 'nope' });
      await expect(adapter.getCalls(everything)).rejects.toBeInstanceOf(CredentialsError);
      await expect(adapter.getCampaigns()).rejects.toBeInstanceOf(CredentialsError);
    });
  });

  describe('calls paging', () => {
    it('pages through the whole history by cursor, newest first, without gaps or repeats', async () => {
      const before = sim.requestCount('/api/v1/calls');
      const { calls, pages } = await allPages(adapterFor(sim), { ...everything, pageSize: 25 });
      expect(pages).toBe(Math.ceil(HISTORY / 25));
      expect(sim.requestCount('/api/v1/calls') - before).toBe(pages);
      expect(calls.map((c) => c.externalId)).toEqual(history.map((r) => r.uuid));
      for (const call of calls) expect(call.status).toBeDefined();
    });

    it('keeps following cursors when the API caps per_page below what we ask', async () => {
      const capped = createTrackDriveSimulator({ seed: 7, historyCalls: HISTORY, maxPerPage: 10 });
      await capped.start();
      try {
        const { calls, pages } = await allPages(adapterFor(capped), { ...everything, pageSize: 50 });
        expect(pages).toBe(HISTORY / 10);
        expect(new Set(calls.map((c) => c.externalId)).size).toBe(HISTORY);
      } finally {
        await capped.stop();
      }
    });

    it('answers an empty window with no calls and no cursor', async () => {
      const page = await adapterFor(sim).getCalls({
        from: new Date('2020-01-01T00:00:00Z'),
        to: new Date('2020-01-02T00:00:00Z'),
      });
      expect(page).toEqual({ calls: [], total: 0 });
    });

    it('answers exactly one full page with no cursor', async () => {
      const from = new Date(createdMs(history[19]));
      const to = new Date(createdMs(history[10]) + 1);
      const before = sim.requestCount('/api/v1/calls');
      const page = await adapterFor(sim).getCalls({ from, to, pageSize: 10 });
      expect(page.calls.map((c) => c.externalId)).toEqual(history.slice(10, 20).map((r) => r.uuid));
      expect(page.nextCursor).toBeUndefined();
      expect(sim.requestCount('/api/v1/calls') - before).toBe(1);
    });

    it('honours [from, to) to the millisecond although TrackDrive filters by whole, inclusive seconds', async () => {
      const from = new Date(createdMs(history[19]));
      const to = new Date(createdMs(history[9]));
      const { calls } = await allPages(adapterFor(sim), { from, to, pageSize: 10 });
      expect(calls.map((c) => c.externalId)).toEqual(history.slice(10, 20).map((r) => r.uuid));
    });

    it('skips malformed rows and still returns the good ones', async () => {
      sim.injectFaults({ malformedRows: 3 });
      const page = await adapterFor(sim).getCalls({ ...everything, pageSize: 20 });
      expect(page.calls.map((c) => c.externalId)).toEqual(history.slice(0, 20).map((r) => r.uuid));
      expect(page.nextCursor).toBeDefined();
    });

    it('filters by campaign (offer)', async () => {
      const { calls } = await allPages(adapterFor(sim), { ...everything, campaignExternalId: '10002' });
      const expected = history.filter((r) => r.offer_id === 10002).map((r) => r.uuid);
      expect(expected.length).toBeGreaterThan(0);
      expect(calls.map((c) => c.externalId)).toEqual(expected);
      expect(calls.every((c) => c.campaignName === 'Medicare Advantage')).toBe(true);
    });

    it('maps API records field by field', async () => {
      const record = history.find((r) => r.status === 'finished' && r.buyer_converted === 'Converted')!;
      const call = await adapterFor(sim).getCall(String(record.uuid));
      expect(call).toMatchObject({
        externalId: record.uuid,
        status: 'completed',
        campaignExternalId: String(record.offer_id),
        campaignName: record.offer,
        trackingNumber: record.number_called,
        callerNumber: record.caller_number,
        destinationNumber: record.connected_to,
        startedAt: new Date(String(record.created_at)),
        endedAt: new Date(String(record.ended_at)),
        durationSeconds: record.total_duration,
        connectedDurationSeconds: record.answered_duration,
        recordingUrl: record.recording_url,
        converted: true,
        providerData: record,
      });
      expect(call.revenue).toBe(sumMoney([record.revenue]));
      expect(call.cost).toBe(sumMoney([record.trackdrive_cost, record.provider_cost]));
    });

    it('rejects a cursor it did not issue', async () => {
      await expect(adapterFor(sim).getCalls(everything, 'td1.garbage')).rejects.toMatchObject({
        code: 'invalid_cursor',
      });
    });
  });

  describe('faults', () => {
    it('waits out a 429 Retry-After, then succeeds', async () => {
      sim.injectFaults({ rateLimited: 1, retryAfterSeconds: 1 });
      const before = sim.requestCount();
      const started = Date.now();
      const page = await adapterFor(sim).getCalls({ ...everything, pageSize: 5 });
      expect(page.calls).toHaveLength(5);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(sim.requestCount() - before).toBe(2);
    });

    it('retries 5xx answers, then succeeds', async () => {
      sim.injectFaults({ serverErrors: 2 });
      const before = sim.requestCount();
      await expect(adapterFor(sim).getCampaigns()).resolves.toHaveLength(6);
      expect(sim.requestCount() - before).toBe(3);
    });

    it('gives up on persistent 5xx with a retryable ProviderError', async () => {
      sim.injectFaults({ serverErrors: 10 });
      const error = await adapterFor(sim)
        .getCalls(everything)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ retryable: true });
      expect([500, 503]).toContain((error as ProviderError).status);
    });

    it('turns a slow answer into a retryable timeout', async () => {
      // undici checks timeouts on a coarse (about 1 s) clock, so the answer must be slower than that.
      sim.injectFaults({ latencyMs: 3_000 });
      const context = contextFor(sim);
      const http = new UndiciProviderHttpClient({
        provider: 'trackdrive',
        rateLimitKey: 'timeout-test',
        retryPolicy: new RetryPolicy({ maxAttempts: 1 }),
        defaultTimeoutMs: 100,
        logger: silentLogger,
      });
      const adapter = new TrackDriveAdapter({ ...context, http });
      await expect(adapter.getCampaigns()).rejects.toMatchObject({ code: 'timeout', retryable: true });
    }, 10_000);

    it('still answers when the API is slow but within the timeout', async () => {
      sim.injectFaults({ latencyMs: 150 });
      await expect(adapterFor(sim).getCampaign('10001')).resolves.toMatchObject({ name: 'Auto Insurance' });
    });
  });

  describe('single calls and postbacks', () => {
    it('answers not_found for an unknown call', async () => {
      await expect(adapterFor(sim).getCall('00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({
        code: 'not_found',
        retryable: false,
      });
    });

    it('posts a conversion back to TrackDrive and reads it back', async () => {
      const record = history.find((r) => r.status === 'no-answer' || r.buyer_converted === 'Not Converted')!;
      const adapter = adapterFor(sim);
      const updated = await adapter.updateCall(String(record.uuid), {
        converted: true,
        revenue: '99.5000',
        payout: '12.2500',
        tags: { lead_id: 'L-77' },
      });
      expect(updated).toMatchObject({
        externalId: record.uuid,
        converted: true,
        revenue: '99.5000',
        payout: '12.2500',
      });
      expect(updated.tags).toMatchObject({ lead_id: 'L-77' });
      const reread = await adapter.getCall(String(record.uuid));
      expect(reread).toMatchObject({ converted: true, revenue: '99.5000', payout: '12.2500' });
    });

    it('reports a postback for an unknown call as not_found', async () => {
      await expect(adapterFor(sim).updateCall('missing', { converted: true })).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });

  describe('call report', () => {
    it('has no report of its own: the SDK report of its history gives totals and per-offer rows', async () => {
      const fresh = createTrackDriveSimulator({ seed: 11, historyCalls: 60 });
      await fresh.start();
      try {
        const rows = fresh.history();
        const from = new Date(createdMs(rows[rows.length - 1]));
        const to = new Date(createdMs(rows[0]) + 1);
        const report = await reportFromHistory(adapterFor(fresh), from, to, { pageSize: 100 });
        const converted = rows.filter((r) => r.buyer_converted === 'Converted');
        expect(report).toMatchObject({
          from,
          to,
          totalCalls: 60,
          convertedCalls: converted.length,
          revenue: sumMoney(rows.map((r) => r.revenue)),
          payout: sumMoney(rows.map((r) => r.payout)),
          providerData: { source: 'history', pages: 1 },
        });
        expect(report.connectedCalls).toBe(
          rows.filter(
            (r) => Number(r.answered_duration) > 0 || ['established', 'forwarded'].includes(String(r.status)),
          ).length,
        );
        expect(report.byCampaign!.reduce((n, row) => n + row.calls, 0)).toBe(60);
        const auto = report.byCampaign!.find((row) => row.campaignExternalId === '10001')!;
        expect(auto).toMatchObject({
          campaignName: 'Auto Insurance',
          calls: rows.filter((r) => r.offer_id === 10001).length,
          revenue: sumMoney(rows.filter((r) => r.offer_id === 10001).map((r) => r.revenue)),
        });
      } finally {
        await fresh.stop();
      }
    });
  });

  describe('campaigns and numbers', () => {
    it('lists and reads offers as campaigns', async () => {
      const adapter = adapterFor(sim);
      const campaigns = await adapter.getCampaigns();
      expect(campaigns.map((c) => [c.externalId, c.name, c.isActive])).toEqual(
        sim.offers().map((o) => [String(o.id), o.name, o.active]),
      );
      await expect(adapter.getCampaign('10003')).resolves.toMatchObject({
        externalId: '10003',
        name: 'Final Expense',
      });
      await expect(adapter.getCampaign('99999')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('skips malformed offer rows', async () => {
      sim.injectFaults({ malformedRows: 2 });
      await expect(adapterFor(sim).getCampaigns()).resolves.toHaveLength(6);
    });

    it('lists every phone number in E.164, across pages', async () => {
      const capped = createTrackDriveSimulator({ seed: 7, historyCalls: 1, maxPerPage: 10 });
      await capped.start();
      try {
        const numbers = await adapterFor(capped).getNumbers();
        expect(numbers.map((n) => n.number)).toEqual(capped.phoneNumbers().map((n) => n.number));
        expect(numbers.every((n) => /^\+1\d{10}$/.test(n.number))).toBe(true);
        expect(numbers.filter((n) => n.isTollFree)).toHaveLength(8);
        expect(numbers[0]).toMatchObject({ externalId: '20001', campaignExternalId: '10001' });
        expect(capped.requestCount('/api/v1/phone_numbers')).toBe(3);
      } finally {
        await capped.stop();
      }
    });

    it('has no number provisioning (no TrackDrive API): no methods, nothing to call', () => {
      expect(capabilitiesOf(adapterFor(sim))).not.toContain('numberProvisioning');
      expect(capabilitiesOf(adapterFor(sim))).toContain('numbers');
    });
  });

  describe('webhook registration (subscriptions API)', () => {
    const config = {
      url: 'https://switchboard.example.com/webhooks/trackdrive/conn-1',
      secret: 'whsec-registration',
    };

    it('subscribes every trigger and unsubscribes them again', async () => {
      const adapter = adapterFor(sim);
      const registration = await adapter.registerWebhook(config);
      expect(registration.triggers).toEqual([
        'incoming',
        'ringing',
        'answered',
        'completed',
        'converted',
        'payout',
        'recording',
        'updated',
      ]);
      const subscriptions = sim.listSubscriptions();
      expect(subscriptions.map((s) => [s.event, s.trigger_fields])).toEqual([
        ['new_call', {}],
        ['call_ringing', {}],
        ['call_forwarded', {}],
        ['call_ended', {}],
        ['call_changed', { buyer_converted: true }],
        ['call_changed', { offer_converted: true }],
        ['call_changed', { has_recording: true }],
        ['call_changed', {}],
      ]);
      expect(registration.id).toBe(subscriptions.map((s) => s.id).join(','));
      for (const [i, s] of subscriptions.entries()) {
        const url = new URL(s.target_url);
        expect(url.searchParams.get('token')).toBe(config.secret);
        expect(url.searchParams.get('event')).toBe(registration.triggers[i]);
      }
      expect(JSON.stringify(registration.providerData)).not.toContain(config.secret);

      await adapter.unregisterWebhook(registration.id);
      expect(sim.listSubscriptions()).toEqual([]);
      // Already gone is fine.
      await expect(adapter.unregisterWebhook(registration.id)).resolves.toBeUndefined();
    });

    it('subscribes only the triggers asked for', async () => {
      const adapter = adapterFor(sim);
      const registration = await adapter.registerWebhook({ ...config, triggers: ['completed'] });
      expect(sim.listSubscriptions().map((s) => s.event)).toEqual(['call_ended']);
      await adapter.unregisterWebhook(registration.id);
    });

    it('removes what it created when a later subscription fails', async () => {
      const context = contextFor(sim);
      let created = 0;
      const http = {
        request: async <T>(request: ProviderHttpRequest) => {
          const response = await context.http.request<T>(request);
          if (request.endpoint === 'subscriptions.create' && ++created === 2)
            sim.injectFaults({ serverErrors: 1 });
          return response;
        },
      };
      const adapter = new TrackDriveAdapter({ ...context, http });
      await expect(adapter.registerWebhook(config)).rejects.toMatchObject({ retryable: true });
      expect(sim.listSubscriptions()).toEqual([]);
    });
  });

  describe('live call lifecycle captured on loopback', () => {
    interface Captured {
      method: string;
      url: string;
      headers: http.IncomingHttpHeaders;
      body: Buffer;
    }
    let receiver: http.Server;
    let receiverUrl: string;
    const captured: Captured[] = [];
    const secret = 'whsec-live-0123456789';

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
          });
          res.writeHead(202).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/trackdrive/conn-live`;
    });

    afterAll(async () => {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    beforeEach(() => {
      captured.length = 0;
    });

    /** What the ingress would hand the plugin: token checked, then stripped; JSON or form body parsed. */
    function toInbound(request: Captured): InboundWebhook {
      const url = new URL(request.url, 'http://receiver');
      expect(url.searchParams.get('token')).toBe(secret);
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        if (key === 'token') continue;
        const values = url.searchParams.getAll(key);
        query[key] = values.length > 1 ? values : values[0];
      }
      const contentType = String(request.headers['content-type'] ?? '');
      const text = request.body.toString('utf8');
      const body = !text
        ? undefined
        : contentType.includes('json')
          ? JSON.parse(text)
          : Object.fromEntries(new URLSearchParams(text));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') headers[k] = v;
      return {
        method: request.method,
        headers,
        query,
        contentType,
        rawBody: request.body,
        body,
        receivedAt: new Date(),
      };
    }

    it('fires every trigger of a converted call from the plugin templates and subscriptions; each maps', async () => {
      const adapter = adapterFor(sim);
      const registration = await adapter.registerWebhook({ url: receiverUrl, secret });
      try {
        const fired = await sim.simulateCall({ webhookUrl: receiverUrl, secret });
        expect(fired.length).toBe(captured.length);
        expect(fired.every((f) => f.status === 202)).toBe(true);
        const callId = fired[0].callId;
        expect(fired.every((f) => f.callId === callId)).toBe(true);

        const viaWebhook = fired.filter((f) => f.via === 'webhook').map((f) => f.trigger);
        expect(viaWebhook).toEqual([
          'incoming',
          'ringing',
          'answered',
          'completed',
          'converted',
          'payout',
          'recording',
        ]);

        const events: NormalizedCallEvent[] = [];
        for (const [i, request] of captured.entries()) {
          const inbound = toInbound(request);
          const description = adapter.describeWebhook(inbound);
          const event = adapter.mapWebhook(inbound);
          expect(description).toEqual({ eventId: event.eventId, eventType: event.type });
          expect(event.call.externalId).toBe(callId);
          expect(JSON.stringify(event.call.providerData)).not.toContain(secret);
          // Subscription deliveries carry the trigger the subscription was registered for.
          const trigger = new URL(request.url, 'http://receiver').searchParams.get('event');
          if (fired[i].via === 'webhook') expect(trigger).toBe(fired[i].trigger);
          if (trigger !== 'updated') expect(event.eventId).toBe(`${callId}:${trigger}`);
          else expect(event.eventId).toMatch(new RegExp(`^${callId}:updated:`));
          events.push(event);
        }

        // Templates and subscriptions describe the same moments: the platform keeps one of each.
        const distinct = [...new Set(events.map((e) => e.eventId).filter(Boolean))];
        expect(distinct).toEqual(
          expect.arrayContaining(
            ['incoming', 'ringing', 'answered', 'completed', 'converted', 'payout', 'recording'].map(
              (t) => `${callId}:${t}`,
            ),
          ),
        );
        const byType = (type: string) => events.filter((e) => e.type === type);
        expect(byType('call.started').every((e) => e.call.status === 'ringing')).toBe(true);
        expect(byType('call.answered').every((e) => e.call.status === 'in_progress')).toBe(true);
        // The "Call Ended" template (documented tokens only) carries no status; the subscription's
        // whole call does: no completed event says anything but completed.
        const ended = byType('call.completed');
        expect(ended.every((e) => e.call.status === undefined || e.call.status === 'completed')).toBe(true);
        expect(ended.some((e) => e.call.status === 'completed')).toBe(true);
        expect(ended.every((e) => e.call.endedAt instanceof Date)).toBe(true);
        expect(byType('call.converted').every((e) => e.call.converted === true)).toBe(true);
        expect(byType('call.updated').length).toBeGreaterThan(0);

        // The finished call as the API has it, and as the last webhook of each channel says it.
        const api = await adapter.getCall(callId);
        expect(api).toMatchObject({
          status: 'completed',
          converted: true,
          revenue: '42.5000',
          payout: '18.0000',
        });
        const lastSubscription = events[fired.map((f) => f.via).lastIndexOf('subscription')];
        const { providerData: _a, ...apiFields } = api;
        const { providerData: _b, ...subscriptionFields } = lastSubscription.call;
        expect(subscriptionFields).toEqual(apiFields);

        const lastTemplate = events[fired.map((f) => f.via).lastIndexOf('webhook')];
        expect(lastTemplate.type).toBe('call.recording');
        // The template body carries TrackDrive's documented tokens only (call uuid, caller id, buyer
        // name, total duration, payout, geo state): those agree with the API; the rest is the
        // subscription's and the sync's to fill.
        expect(lastTemplate.call).toMatchObject({
          callerNumber: api.callerNumber,
          durationSeconds: api.durationSeconds,
          payout: api.payout,
        });
        expect(lastTemplate.call).not.toHaveProperty('status');
        expect(lastTemplate.warnings).toBeUndefined();

        // The incoming template fired before anything was known: blank tokens stay absent.
        const incoming = events[fired.findIndex((f) => f.via === 'webhook' && f.trigger === 'incoming')];
        expect(incoming.call).toMatchObject({ status: 'ringing', callerNumber: api.callerNumber });
        expect(incoming.call.recordingUrl).toBeUndefined();
        expect(incoming.call.durationSeconds).toBeUndefined();
        expect(incoming.call.startedAt).toEqual(incoming.occurredAt);
      } finally {
        await adapter.unregisterWebhook(registration.id);
      }
    });

    it('fires only the triggers an unanswered call has, and maps its outcome', async () => {
      const adapter = adapterFor(sim);
      const fired = await sim.simulateCall({ webhookUrl: receiverUrl, secret }, { status: 'no-answer' });
      expect(fired.map((f) => [f.via, f.trigger])).toEqual([
        ['webhook', 'incoming'],
        ['webhook', 'ringing'],
        ['webhook', 'completed'],
      ]);
      const events = captured.map((request) => adapter.mapWebhook(toInbound(request)));
      expect(events.map((e) => [e.type, e.call.status])).toEqual([
        ['call.started', 'ringing'],
        ['call.started', 'ringing'],
        // The "Call Ended" template's documented tokens carry no outcome: the sync brings it.
        ['call.completed', undefined],
      ]);
      expect(events[2].call.endedAt).toBeInstanceOf(Date);
      await expect(adapter.getCall(fired[0].callId)).resolves.toMatchObject({ status: 'missed' });
    });
  });
});
