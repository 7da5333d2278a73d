import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhookBody, queryToObject, type InboundWebhook } from '@switchboard/core';
import RetreaverPlugin from '@switchboard/plugin-retreaver';
import RingbaPlugin from '@switchboard/plugin-ringba';
import { runProviderConformance, type WebhookCorpus } from '@switchboard/plugin-sdk/testing';
import TrackDrivePlugin from '@switchboard/plugin-trackdrive';
import { SIMULATORS } from '../../simulators/src/registry.js';
import type { ProviderSimulator } from '../../simulators/src/simulator.js';
import { createTestProviderContext } from '../../support/provider-context.js';

/** Captures the webhooks a simulator fires for one call, as the ingress would hand them to a plugin. */
async function captureWebhooks(sim: ProviderSimulator): Promise<InboundWebhook[]> {
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
  try {
    await sim.simulateCall({
      webhookUrl: `http://127.0.0.1:${port}/webhooks/${sim.provider}/c1`,
      secret: 'whsec_test',
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return received;
}

const WIDE_WINDOW = () => ({ from: new Date('2020-01-01T00:00:00Z'), to: new Date(Date.now() + 86_400_000) });

for (const [provider, plugin] of [
  ['ringba', RingbaPlugin],
  ['retreaver', RetreaverPlugin],
  ['trackdrive', TrackDrivePlugin],
] as const) {
  const sim = SIMULATORS[provider]({ seed: 11, historyCalls: 35 });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  runProviderConformance<Record<string, string>>({
    plugin,
    context: (credentials) => createTestProviderContext({ provider, credentials, apiBaseUrl: sim.baseUrl }),
    credentials: () => ({ ...sim.credentials }),
    badCredentials: () => {
      const bad = { ...sim.credentials };
      const secretField = Object.keys(bad).find(
        (k) => /token|key|private/i.test(k) && !/public|company|account/i.test(k),
      );
      bad[secretField ?? Object.keys(bad)[0]] = 'definitely-not-the-right-secret-0000';
      return bad;
    },
    historyWindow: WIDE_WINDOW,
    pageSize: 10,
    sampleWebhooks: () => captureWebhooks(sim),
    webhookCorpus: () =>
      JSON.parse(
        fs.readFileSync(new URL(`../../fixtures/${provider}/webhook-corpus.json`, import.meta.url), 'utf8'),
      ) as WebhookCorpus,
  });
}
