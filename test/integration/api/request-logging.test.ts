import { jest } from '@jest/globals';
import { ApiKeyService } from '../../../apps/api/src/auth/api-key.service.js';
import { ApiTestApp } from './api-test-app.js';

// Generous: these start the whole app on a machine other suites share.
jest.setTimeout(60_000);

/** One "request completed" line per request, with route, caller and no secret (issue 12, defects 2 and 5). */
describe('request logging (real app, PostgreSQL and Redis)', () => {
  let api: ApiTestApp;
  let readKey: { id: string; key: string };
  let connectionId: string;

  beforeAll(async () => {
    api = await ApiTestApp.start({ LOG_LEVEL: 'info' });
    readKey = await api.app.get(ApiKeyService).create('logging test', ['read']);
    const created = await api.send('POST', '/connections', {
      provider: 'ringba',
      name: 'renamed token',
      credentials: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
      // The connection renames the webhook token's query parameter and header.
      settings: { webhook: { tokenQueryParam: 'tk', tokenHeader: 'x-acme-pass' } },
      validate: false,
    });
    expect(created.statusCode).toBe(201);
    connectionId = created.json().connection.id;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  const completed = () => api.logs.lines.filter((l) => l.msg === 'request completed');

  it('writes one line per request with method, route, status, duration, request id and caller', async () => {
    const before = completed().length;
    const urls = [
      '/plugins',
      '/calls?limit=5',
      '/calls/00000000-0000-4000-8000-000000000000',
      '/nope',
      '/connections',
    ];
    const ids: string[] = [];
    for (const url of urls) {
      const res = await api.get(url, { authorization: `Bearer ${readKey.key}` });
      ids.push(String(res.json().requestId ?? res.headers['x-request-id'] ?? ''));
    }
    const lines = completed().slice(before);
    expect(lines).toHaveLength(urls.length);
    expect(lines.map((l) => [l.method, l.route, l.statusCode])).toEqual([
      ['GET', '/plugins', 200],
      ['GET', '/calls', 200],
      ['GET', '/calls/:id', 404],
      ['GET', null, 404],
      ['GET', '/connections', 403],
    ]);
    for (const line of lines) {
      expect(typeof line.requestId).toBe('string');
      expect(typeof line.durationMs).toBe('number');
    }
    // Authenticated routes name the caller (a 403 too); an unknown route has none.
    for (const i of [0, 1, 2, 4]) expect(lines[i]).toMatchObject({ caller: 'api-key', keyId: readKey.id });
    expect(lines[3]).toMatchObject({ caller: null, keyId: null });
    expect(lines[2]?.requestId).toBe(ids[2]);
  });

  it('logs webhooks too, without the token under its own or a renamed name', async () => {
    const before = completed().length;
    const url = `/webhooks/ringba/${connectionId}`;
    await api.inject({ method: 'GET', url: `${url}?tk=renamed-secret-1&token=plain-secret-2&call_id=1` });
    await api.inject({
      method: 'GET',
      url: `${url}?call_id=2`,
      headers: { 'x-acme-pass': 'header-secret-3' },
    });
    await api.inject({ method: 'GET', url: `/calls?api_key=query-secret-4`, headers: { 'x-api-key': 'k' } });
    const lines = completed().slice(before);
    expect(lines.map((l) => l.route)).toEqual([
      '/webhooks/:provider/:connectionId',
      '/webhooks/:provider/:connectionId',
      '/calls',
    ]);
    const all = api.logs.raw.join('\n');
    for (const secret of [
      'renamed-secret-1',
      'plain-secret-2',
      'header-secret-3',
      'query-secret-4',
      api.adminToken,
      readKey.key,
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(String(lines[0]?.url)).toContain('call_id=1');
  });

  it('never logs the admin token or an API key', async () => {
    await api.get('/connections');
    await api.get('/calls', { 'x-api-key': readKey.key });
    const all = api.logs.raw.join('\n');
    expect(all).not.toContain(api.adminToken);
    expect(all).not.toContain(readKey.key);
  });
});
