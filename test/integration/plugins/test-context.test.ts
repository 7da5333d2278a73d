import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialsError, ProviderError, type ProviderContext } from '@switchboard/core';
import { createTestContext } from '@switchboard/plugin-sdk/testing';
import { createTestProviderContext } from '../../support/provider-context.js';

/**
 * The SDK's createTestContext promises the platform's HTTP semantics. Both clients (the SDK's
 * fetch-based one and the platform's undici client) talk to one server here and must agree on
 * every outcome: typed errors, codes, retryability, Retry-After, acceptStatus and retries.
 */
let server: http.Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${req.method} ${url.pathname}`;
    const count = (hits.get(key) ?? 0) + 1;
    hits.set(key, count);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    const match = /^\/status\/(\d+)$/.exec(url.pathname);
    if (match) return send(Number(match[1]), { error: 'nope' }, { 'retry-after': '0' });
    if (url.pathname === '/flaky') return count <= 2 ? send(503, {}) : send(200, { ok: true, count });
    if (url.pathname === '/echo') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        send(200, {
          query: Object.fromEntries(url.searchParams),
          type: req.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        }),
      );
      return;
    }
    send(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => hits.clear());

const clients: Array<[string, () => ProviderContext<object>]> = [
  ['sdk createTestContext', () => createTestContext({ provider: 'acme', credentials: {}, maxAttempts: 3 })],
  ['platform client', () => createTestProviderContext({ provider: 'acme', credentials: {}, maxAttempts: 3 })],
];

async function outcome(ctx: ProviderContext<object>, path: string, extra: object = {}) {
  try {
    const res = await ctx.http.request({ method: 'GET', url: `${base}${path}`, endpoint: 'probe', ...extra });
    return { status: res.status, body: res.body };
  } catch (error) {
    const e = error as ProviderError;
    return {
      credentials: error instanceof CredentialsError,
      provider: error instanceof ProviderError,
      code: e.code,
      retryable: e.retryable,
      status: e.status,
      retryAfterMs: e.retryAfterMs,
    };
  }
}

describe('createTestContext has the platform HTTP semantics', () => {
  it.each([401, 403, 404, 408, 422, 429, 500])(
    'answers %i the same way as the platform client',
    async (status) => {
      const results = [];
      for (const [, make] of clients) {
        hits.clear();
        results.push({
          ...(await outcome(make(), `/status/${status}`)),
          attempts: hits.get(`GET /status/${status}`),
        });
      }
      expect(results[0]).toEqual(results[1]);
      expect(results[0]).toMatchObject({
        provider: true,
        status,
        credentials: status === 401 || status === 403,
      });
      if (status === 429)
        expect(results[0]).toMatchObject({
          code: 'rate_limited',
          retryable: true,
          retryAfterMs: 0,
          attempts: 3,
        });
    },
  );

  it.each(clients)(
    '%s: retries a GET through 503s, a POST only when asked, and honours acceptStatus',
    async (_name, make) => {
      expect(await outcome(make(), '/flaky')).toEqual({ status: 200, body: { ok: true, count: 3 } });
      hits.clear();
      expect(await outcome(make(), '/flaky', { method: 'POST' })).toMatchObject({
        code: 'http_503',
        retryable: true,
      });
      expect(hits.get('POST /flaky')).toBe(1);
      expect(await outcome(make(), '/status/404', { acceptStatus: [404] })).toEqual({
        status: 404,
        body: { error: 'nope' },
      });
    },
  );

  it.each(clients)('%s: encodes query and form bodies alike', async (_name, make) => {
    const res = await outcome(make(), '/echo', {
      method: 'POST',
      query: { a: 1, skip: undefined },
      form: { b: 'x y' },
    });
    expect(res).toEqual({
      status: 200,
      body: { query: { a: '1' }, type: 'application/x-www-form-urlencoded', body: 'b=x+y' },
    });
  });

  it('refuses a connection as a retryable network_error', async () => {
    const sdk = createTestContext({ credentials: {}, maxAttempts: 1 });
    await expect(
      sdk.http.request({ method: 'GET', url: 'http://127.0.0.1:1/x', endpoint: 'x' }),
    ).rejects.toMatchObject({
      code: 'network_error',
      retryable: true,
    });
    expect(sdk.requests).toEqual([
      { method: 'GET', url: 'http://127.0.0.1:1/x', endpoint: 'x', status: 'error' },
    ]);
  });
});
