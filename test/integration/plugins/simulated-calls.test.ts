import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  getPluginManifest,
  parseWebhookBody,
  queryToObject,
  type InboundWebhook,
  type NormalizedCall,
  type PluginManifest,
} from '@switchboard/core';
import RetreaverPlugin from '@switchboard/plugin-retreaver';
import RingbaPlugin from '@switchboard/plugin-ringba';
import TrackDrivePlugin from '@switchboard/plugin-trackdrive';
import { SIMULATORS } from '../../simulators/src/registry.js';
import { createTestProviderContext } from '../../support/provider-context.js';

/**
 * Simulated calls are plausible: what the simulated API says about a live call and what its
 * webhooks add up to agree with each other (times, durations, money, campaign), and no time lies
 * in the future.
 */
const PLUGINS = { ringba: RingbaPlugin, retreaver: RetreaverPlugin, trackdrive: TrackDrivePlugin } as const;

async function receiver() {
  const received: InboundWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const rawBody = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({
        method: req.method ?? 'GET',
        headers,
        query: queryToObject(url.searchParams),
        contentType: headers['content-type'],
        rawBody,
        body: parseWebhookBody(rawBody, headers['content-type']),
        receivedAt: new Date(),
      });
      res.writeHead(202).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { received, server, url: (provider: string) => `http://127.0.0.1:${port}/webhooks/${provider}/c1` };
}

/** Folds events the way the pipeline's merge does: the newest event that carried a field wins. */
function fold(calls: NormalizedCall[]): Partial<NormalizedCall> {
  const state: Partial<NormalizedCall> = {};
  for (const call of calls) {
    for (const [key, value] of Object.entries(call)) {
      if (value !== undefined && key !== 'providerData' && key !== 'tags' && key !== 'status')
        (state as Record<string, unknown>)[key] = value;
    }
  }
  return state;
}

const seconds = (a?: Date, b?: Date) => (a && b ? (b.getTime() - a.getTime()) / 1000 : undefined);

describe.each(Object.keys(PLUGINS) as Array<keyof typeof PLUGINS>)('simulated %s calls', (provider) => {
  const sim = SIMULATORS[provider]({ seed: 21, historyCalls: 5 });
  let rx: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    await sim.start();
    rx = await receiver();
  });
  afterAll(async () => {
    await sim.stop();
    await new Promise((resolve) => rx.server.close(resolve));
  });

  it('agree between API and webhooks on times, durations, money and campaign; nothing in the future', async () => {
    rx.received.length = 0;
    const fired = await sim.simulateCall({ webhookUrl: rx.url(provider), secret: 'whsec_sim' });
    const callId = fired[0].callId;
    const manifest = getPluginManifest(PLUGINS[provider]) as PluginManifest;
    const adapter = new manifest.adapter(
      createTestProviderContext({ provider, credentials: { ...sim.credentials }, apiBaseUrl: sim.baseUrl }),
    );
    const api = await adapter.getCall(callId);
    const now = Date.now() + 1000;

    // The API's record.
    for (const key of ['startedAt', 'answeredAt', 'endedAt'] as const) {
      if (api[key]) expect(api[key]!.getTime()).toBeLessThanOrEqual(now);
    }
    expect(api.startedAt).toBeInstanceOf(Date);
    expect(api.endedAt).toBeInstanceOf(Date);
    expect(Math.abs(seconds(api.startedAt, api.endedAt)! - api.durationSeconds!)).toBeLessThanOrEqual(2);
    if (api.answeredAt) {
      expect(api.answeredAt >= api.startedAt!).toBe(true);
      expect(api.answeredAt <= api.endedAt!).toBe(true);
    }
    if (api.connectedDurationSeconds !== undefined)
      expect(api.connectedDurationSeconds).toBeLessThanOrEqual(api.durationSeconds!);
    expect(api.campaignName).toBeTruthy();
    expect(api.campaignExternalId).toBeTruthy();
    if (api.revenue !== undefined && api.payout !== undefined)
      expect(Number(api.payout)).toBeLessThanOrEqual(Number(api.revenue));
    if (api.converted) expect(Number(api.revenue)).toBeGreaterThan(0);

    // What the webhooks add up to.
    const events = rx.received.map((r) => adapter.mapWebhook(r));
    expect(events.every((e) => e.warnings === undefined)).toBe(true);
    const hooks = fold(events.map((e) => e.call));
    for (const key of ['startedAt', 'answeredAt', 'endedAt'] as const) {
      if (hooks[key]) expect(hooks[key]!.getTime()).toBeLessThanOrEqual(now);
    }
    if (hooks.durationSeconds !== undefined && hooks.startedAt && hooks.endedAt) {
      expect(Math.abs(seconds(hooks.startedAt, hooks.endedAt)! - hooks.durationSeconds)).toBeLessThanOrEqual(
        2,
      );
      expect(hooks.durationSeconds).toBe(api.durationSeconds);
    }
    for (const key of ['callerNumber', 'payout', 'revenue', 'campaignName', 'campaignExternalId'] as const) {
      if (hooks[key] !== undefined) expect([key, hooks[key]]).toEqual([key, api[key]]);
    }
  });
});
