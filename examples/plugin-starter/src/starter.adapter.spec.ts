import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CredentialsError,
  ProviderError,
  getPluginManifest,
  validateManifest,
} from '@switchboard/plugin-sdk';
import { createTestContext } from '@switchboard/plugin-sdk/testing';
import StarterPlugin from './index.js';
import { StarterAdapter } from './starter.adapter.js';

/**
 * The adapter against a tiny stand-in for the provider's API on loopback. Replace it with a
 * simulator of the real API (auth, paging, errors) as the plugin grows, and run the conformance
 * kit (`runProviderConformance` from @switchboard/plugin-sdk/testing) against it.
 */
const API_KEY = 'starter-test-key-0123456789';
const CALLS = [
  { id: 'c1', status: 'completed', caller: '+15550102001', started_at: '2026-01-01T10:00:00Z', revenue: '5' },
  { id: 'c2', status: 'no-answer', caller: '+15550102002', started_at: '2026-01-01T11:00:00Z' },
];
let server: http.Server;
let baseUrl: string;

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${API_KEY}`) return send(401, { error: 'bad key' });
    if (url.pathname === '/accounts/acc1') return send(200, { id: 'acc1' });
    if (url.pathname === '/calls') {
      const page = Number(url.searchParams.get('page') ?? 1);
      return send(200, { calls: [CALLS[page - 1]], next_page: page < CALLS.length ? page + 1 : null });
    }
    const call = CALLS.find((c) => url.pathname === `/calls/${c.id}`);
    return call ? send(200, call) : send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const adapter = (apiKey = API_KEY) =>
  new StarterAdapter(
    createTestContext({
      provider: 'starter',
      credentials: { accountId: 'acc1', apiKey },
      apiBaseUrl: baseUrl,
    }),
  );

describe('starter plugin', () => {
  it('carries a manifest the platform accepts', () => {
    const manifest = getPluginManifest(StarterPlugin);
    assert.ok(manifest, 'the default export is a @CallTrackingPlugin module');
    assert.deepEqual(validateManifest(manifest), []);
  });

  it('accepts good credentials and refuses bad ones with CredentialsError', async () => {
    assert.equal(await adapter().validateCredentials(), true);
    assert.equal(await adapter('wrong-key-0000000000').validateCredentials(), false);
    await assert.rejects(adapter('wrong-key-0000000000').authenticate(), CredentialsError);
  });

  it('pages through the history and finds each call again by id', async () => {
    const a = adapter();
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };
    const first = await a.getCalls(window);
    assert.equal(first.calls[0].externalId, 'c1');
    const second = await a.getCalls(window, first.nextCursor);
    assert.deepEqual(
      second.calls.map((c) => [c.externalId, c.status]),
      [['c2', 'missed']],
    );
    assert.equal(second.nextCursor, undefined);
    assert.equal((await a.getCall('c1')).revenue, '5.0000');
  });

  it('answers an unknown call with a not_found ProviderError', async () => {
    await assert.rejects(adapter().getCall('nope'), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'not_found');
      return true;
    });
  });
});
