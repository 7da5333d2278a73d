import { jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiTestApp } from './api-test-app.js';

// Generous: these start the whole app on a machine other suites share.
jest.setTimeout(60_000);

const TOKEN = 'ringba-token-that-must-never-be-echoed-0001';

/**
 * A provider stand-in that echoes the request it got (headers included) with the status the test
 * asks for, like a misbehaving API or an internal service behind settings.apiBaseUrl.
 */
async function echoServer(status: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(status(), { 'content-type': 'application/json' });
    res.end(JSON.stringify({ youSent: { url: req.url, headers: req.headers } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const cursor = (t: unknown, i = '00000000-0000-4000-8000-000000000000') =>
  Buffer.from(JSON.stringify({ t, i })).toString('base64url');

describe('API input hardening: bad input is a 400 naming the field, never a 500', () => {
  let api: ApiTestApp;
  let connectionId: string;

  beforeAll(async () => {
    api = await ApiTestApp.start();
    const created = await api.send('POST', '/connections', {
      provider: 'ringba',
      name: 'hardening',
      credentials: { accountId: 'RA0123456', apiToken: TOKEN },
      validate: false,
    });
    expect(created.statusCode).toBe(201);
    connectionId = created.json().connection.id;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  const expect400 = async (res: Awaited<ReturnType<ApiTestApp['get']>>, field: string) => {
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400 });
    expect(typeof body.error).toBe('string');
    expect(body.message).toContain(field);
  };

  it.each([
    ['from', '2024-W01-1'],
    ['to', '20240101'],
    ['from', '2024-01-01T12'],
    ['from', '2024-13-45'],
    ['to', '99999-01-01'],
  ])('refuses /calls?%s=%s (JavaScript cannot read it)', async (field, value) => {
    await expect400(await api.get(`/calls?${field}=${encodeURIComponent(value)}`), field);
    await expect400(await api.get(`/webhook-logs?${field}=${encodeURIComponent(value)}`), field);
  });

  it('still accepts dates and date-times', async () => {
    for (const value of [
      '2024-01-01',
      '2024-01-01T12:00',
      '2024-01-01T12:00:00Z',
      '2024-01-01T12:00:00.123+02:00',
    ]) {
      expect((await api.get(`/calls?from=${encodeURIComponent(value)}`)).statusCode).toBe(200);
    }
  });

  it('refuses NUL bytes in filters, naming the parameter', async () => {
    await expect400(await api.get('/calls?provider=%00'), 'provider');
    await expect400(await api.get('/connections?provider=%00'), 'provider');
    await expect400(await api.get('/calls?campaign=a%00b'), 'campaign');
    await expect400(await api.get('/webhook-logs?provider=ring%00ba'), 'provider');
  });

  it('refuses a cursor whose time overflows', async () => {
    for (const t of ['9223372036854775807', '-9223372036854775808', 9.2e18]) {
      const res = await api.get(`/calls?cursor=${cursor(t)}`);
      await expect400(res, 'cursor');
      expect(res.json()).toMatchObject({ error: 'invalid_cursor', details: { field: 'cursor' } });
      await expect400(await api.get(`/webhook-logs?cursor=${cursor(t)}`), 'cursor');
    }
  });

  it('refuses null for fields that cannot be null (PATCH {"active": null})', async () => {
    for (const field of ['active', 'name', 'mode', 'settings', 'credentials', 'ipAllowlist']) {
      const res = await api.send('PATCH', `/connections/${connectionId}`, { [field]: null });
      await expect400(res, field);
    }
    const ok = await api.send('PATCH', `/connections/${connectionId}`, { active: false });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().active).toBe(false);
  });

  it('refuses JSON nested 40,000 deep, and bodies over the size limit', async () => {
    const deep = `${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}`;
    const res = await api.send('PATCH', `/connections/${connectionId}`, deep);
    await expect400(res, 'deeper than');
    expect(res.json()).toMatchObject({ error: 'json_too_deep', details: { field: 'body' } });
    const arrays = await api.send(
      'POST',
      '/connections',
      `{"settings":${'['.repeat(40_000)}${']'.repeat(40_000)}}`,
    );
    expect(arrays.statusCode).toBe(400);

    const big = await api.send('POST', '/connections', { name: 'x'.repeat(1_100_000) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'payload_too_large' });

    const malformed = await api.send('POST', '/connections', '{"name":');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'malformed_json' });
  });

  it('refuses NUL characters in JSON bodies, naming the field', async () => {
    const res = await api.send('PATCH', `/connections/${connectionId}`, { name: 'a\u0000b' });
    await expect400(res, 'body.name');
  });

  it('filters calls by connectionId as well as connection', async () => {
    expect((await api.get(`/calls?connectionId=${connectionId}`)).statusCode).toBe(200);
    await expect400(await api.get('/calls?connectionId=nope'), 'connectionId');
  });

  it('serves /docs/ (trailing slash) with working assets', async () => {
    for (const base of ['/docs', '/docs/']) {
      const page = await api.get(base, {});
      expect(page.statusCode).toBe(200);
      const assets = [...page.body.matchAll(/(?:src|href)="([^"]+\.(?:js|css|png))"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        const url = new URL(asset, `http://x${base}`).pathname;
        expect([url, (await api.get(url, {})).statusCode]).toEqual([url, 200]);
      }
    }
  });
});

describe('provider answers and settings.apiBaseUrl', () => {
  let api: ApiTestApp;
  let strict: ApiTestApp;
  let status = 401;
  let echo: Awaited<ReturnType<typeof echoServer>>;

  beforeAll(async () => {
    echo = await echoServer(() => status);
    api = await ApiTestApp.start({ ALLOW_CUSTOM_API_BASE_URLS: 'true' });
    strict = await ApiTestApp.start({ ALLOW_CUSTOM_API_BASE_URLS: 'false' });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await strict?.stop();
    await echo?.close();
  });

  const create = (app: ApiTestApp, settings: Record<string, unknown>, validate = true) =>
    app.send('POST', '/connections', {
      provider: 'ringba',
      name: 'echo',
      credentials: { accountId: 'RA0123456', apiToken: TOKEN },
      settings,
      validate,
    });

  it('answers a refused credential check with the status and a short reason, not the provider body', async () => {
    status = 401;
    const res = await create(api, { apiBaseUrl: echo.url });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: 'credentials_refused',
      message: 'ringba refused the credentials (HTTP 401)',
      details: { providerStatus: 401 },
    });
    expect(res.body).not.toContain(TOKEN);
    expect(res.body).not.toContain('youSent');
  });

  it('answers other provider failures on create and validate without the provider body', async () => {
    status = 400;
    const created = await create(api, { apiBaseUrl: echo.url });
    expect(created.statusCode).toBe(502);
    expect(created.json()).toMatchObject({ error: 'http_400', message: 'ringba answered HTTP 400' });
    expect(created.body).not.toContain(TOKEN);

    const stored = await create(api, { apiBaseUrl: echo.url }, false);
    expect(stored.statusCode).toBe(201);
    const validated = await api.send('POST', `/connections/${stored.json().connection.id}/validate`, {});
    expect(validated.statusCode).toBe(502);
    expect(validated.body).not.toContain(TOKEN);
    expect(validated.body).not.toContain('youSent');
    // The server log has the failure, redacted.
    expect(api.logs.raw.join('\n')).not.toContain(TOKEN);
  });

  it('limits apiBaseUrl to the host the plugin declares unless custom URLs are allowed', async () => {
    const refused = await create(strict, { apiBaseUrl: echo.url }, false);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: 'api_base_url_not_allowed',
      details: { field: 'settings.apiBaseUrl' },
    });
    for (const url of [
      'http://api.ringba.com/v2',
      'https://api.ringba.com.evil.test/v2',
      'https://169.254.169.254/',
    ]) {
      expect((await create(strict, { apiBaseUrl: url }, false)).statusCode).toBe(400);
    }
    expect((await create(strict, { apiBaseUrl: 'https://api.ringba.com/v2' }, false)).statusCode).toBe(201);
    expect((await create(strict, { apiBaseUrl: 'not a url' }, false)).json()).toMatchObject({
      error: 'invalid_request',
    });

    const ok = await create(strict, {}, false);
    const patched = await strict.send('PATCH', `/connections/${ok.json().connection.id}`, {
      settings: { apiBaseUrl: 'http://127.0.0.1:6379' },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json()).toMatchObject({ error: 'api_base_url_not_allowed' });
  });
});
