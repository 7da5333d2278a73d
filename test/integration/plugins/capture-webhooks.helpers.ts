import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWebhookBody, queryToObject, type InboundWebhook } from '@switchboard/core';
import type { ProviderSimulator } from '../../simulators/src/simulator.js';

/** Captures the webhooks a simulator fires for one call, as the ingress would hand them to a plugin. */
export async function captureWebhooks(sim: ProviderSimulator): Promise<InboundWebhook[]> {
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
