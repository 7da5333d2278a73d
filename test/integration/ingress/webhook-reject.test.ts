import { randomUUID } from 'node:crypto';
import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

const ERROR_SHAPE = {
  statusCode: expect.any(Number),
  error: expect.any(String),
  message: expect.any(String),
  requestId: expect.any(String),
};

describe('webhook ingress: bad input (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let conn: TestConnection;

  beforeAll(async () => {
    h = await IngressHarness.start({ env: { WEBHOOK_BODY_LIMIT_BYTES: '2048' } });
    conn = await h.createConnection('retreaver');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  const url = (query: Record<string, string> = {}, id = conn.id, provider = 'retreaver') =>
    webhookUrl(provider, id, { event: 'completed', uuid: `c-${randomUUID()}`, ...query });

  async function expectRejectedRow(
    res: { json(): unknown },
    expected: Record<string, unknown>,
  ): Promise<void> {
    const { requestId } = res.json() as { requestId: string };
    expect(requestId).toBeTruthy();
    const rows = await h.rows("status = 'rejected' AND http_status = $1 AND error ILIKE $2", [
      expected.http_status,
      `%${String(expected.errorLike ?? '')}%`,
    ]);
    expect(rows.length).toBeGreaterThan(0);
    const { errorLike: _e, ...rest } = expected;
    expect(rows[rows.length - 1]).toMatchObject(rest);
  }

  it('404 for an unknown provider, with no audit row', async () => {
    const before = (await h.rows()).length;
    const res = await h.inject({ url: `/webhooks/nosuchprovider/${conn.id}?token=${conn.secret}` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, error: 'unknown_provider' });
    expect((await h.rows()).length).toBe(before);
  });

  it('404 for an unknown connection of a known provider, audited without a connection', async () => {
    const missing = randomUUID();
    const res = await h.inject({ url: url({ token: conn.secret }, missing) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ ...ERROR_SHAPE, error: 'connection_not_found' });
    const [row] = await h.rows('error LIKE $1', [`%${missing}%`]);
    expect(row).toMatchObject({
      connection_id: null,
      provider: 'retreaver',
      status: 'rejected',
      http_status: 404,
    });
    expect(row.query).not.toHaveProperty('token');
  });

  it('404 for a connection id that is not a UUID, and for a connection of another provider', async () => {
    expect((await h.inject({ url: url({ token: conn.secret }, 'not-a-uuid') })).statusCode).toBe(404);
    const res = await h.inject({ url: url({ token: conn.secret }, conn.id, 'ringba') });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'connection_not_found' });
  });

  it('404 for an inactive connection, audited on the connection', async () => {
    const inactive = await h.createConnection('retreaver');
    await h.connections().update(inactive.id, { active: false });
    const res = await h.inject({ url: url({ token: inactive.secret }, inactive.id) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ ...ERROR_SHAPE, error: 'connection_not_found' });
    const [row] = await h.rows('connection_id = $1', [inactive.id]);
    expect(row).toMatchObject({ status: 'rejected', http_status: 404, error: 'connection is inactive' });
  });

  it('401 for a wrong token, rejected and never queued', async () => {
    const res = await h.inject({
      url: url({ token: 'whsec_wrong' }),
      headers: { 'content-type': 'application/json' },
      payload: '{"a":1}',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ ...ERROR_SHAPE, statusCode: 401, error: 'invalid_token' });
    expect(res.body).not.toContain('whsec_wrong');
    await expectRejectedRow(res, {
      http_status: 401,
      errorLike: 'invalid_token',
      connection_id: conn.id,
      verification: 'token:invalid_token',
      dedup_key: null,
    });
    const [row] = await h.rows("verification = 'token:invalid_token'");
    expect(row.raw_body?.toString()).toBe('{"a":1}');
    expect(row.query).not.toHaveProperty('token');
    expect(await h.queuedRowIds()).not.toContain(row.id);
  });

  it('401 for a missing token', async () => {
    const res = await h.inject({ url: url() });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'missing_token' });
    await expectRejectedRow(res, {
      http_status: 401,
      errorLike: 'missing_token',
      verification: 'token:missing_token',
    });
  });

  it('400 for a malformed JSON body, with the parse error in the row', async () => {
    const res = await h.inject({
      url: url({ token: conn.secret }),
      headers: { 'content-type': 'application/json' },
      payload: '{"uuid": "broken",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      ...ERROR_SHAPE,
      statusCode: 400,
      error: 'malformed_body',
      message: expect.stringMatching(/not valid JSON/),
    });
    await expectRejectedRow(res, { http_status: 400, errorLike: 'not valid JSON', verification: 'token:ok' });
  });

  it('400 for a malformed form body', async () => {
    const res = await h.inject({
      url: url({ token: conn.secret }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'uuid=%zz&status=finished',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'malformed_body' });
    await expectRejectedRow(res, { http_status: 400, errorLike: 'percent-encoding' });
  });

  it('a bad token wins over a bad body (nothing is said about the body to an unverified sender)', async () => {
    const res = await h.inject({
      url: url({ token: 'nope' }),
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(res.statusCode).toBe(401);
  });

  it('413 for a body over WEBHOOK_BODY_LIMIT_BYTES, audited without the body', async () => {
    const res = await h.inject({
      url: url({ token: conn.secret }),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ uuid: 'big', pad: 'x'.repeat(4096) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ ...ERROR_SHAPE, statusCode: 413, error: 'payload_too_large' });
    await expectRejectedRow(res, {
      http_status: 413,
      errorLike: 'larger than 2048',
      raw_body: null,
      connection_id: conn.id,
    });
  });

  it('403 for an address outside the allowlist (IPv4 and IPv6), 202 inside', async () => {
    const listed = await h.createConnection('retreaver', {
      ipAllowlist: ['198.51.100.0/24', '2001:db8::/32'],
    });
    const send = (remoteAddress: string, headers: Record<string, string> = {}) =>
      h.inject({ url: url({ token: listed.secret }, listed.id), remoteAddress, headers });
    expect((await send('198.51.100.20')).statusCode).toBe(202);
    expect((await send('2001:db8::7')).statusCode).toBe(202);
    expect((await send('::ffff:198.51.100.21')).statusCode).toBe(202);
    const outside = await send('203.0.113.9');
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ ...ERROR_SHAPE, statusCode: 403, error: 'address_not_allowed' });
    expect((await send('2001:db9::1')).statusCode).toBe(403);
    // Without TRUSTED_PROXIES a forwarded address is not believed.
    expect((await send('203.0.113.9', { 'x-forwarded-for': '198.51.100.20' })).statusCode).toBe(403);
    const [row] = await h.rows("connection_id = $1 AND http_status = 403 AND source_ip = '203.0.113.9'", [
      listed.id,
    ]);
    expect(row).toMatchObject({ status: 'rejected', verification: 'ip:address_not_allowed' });
  });

  it('stores values with NUL characters (which PostgreSQL refuses) without them', async () => {
    const res = await h.inject({ method: 'GET', url: `${url({ token: conn.secret })}&note=a%00b&x%00=1` });
    expect(res.statusCode).toBe(202);
    expect((await h.row(res.json().id)).query).toMatchObject({ note: 'ab', x: '1' });
  });

  it('a connection deleted while cached: its requests get 404, the rest of the batch is stored', async () => {
    const doomed = await h.createConnection('retreaver');
    const other = await h.createConnection('retreaver');
    expect((await h.inject({ url: url({ token: doomed.secret }, doomed.id) })).statusCode).toBe(202); // now cached
    await h.connections().remove(doomed.id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? h.inject({ url: url({ token: doomed.secret }, doomed.id) })
          : h.inject({ url: url({ token: other.secret }, other.id) }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([404, 202, 404, 202, 404, 202, 404, 202, 404, 202]);
    expect(await h.rows('connection_id = $1', [other.id])).toHaveLength(5);
  });

  it('never writes a call for any of the above', async () => {
    expect(await h.callCount()).toBe(0);
    const queued = await h.rows("status = 'rejected'");
    const jobs = new Set(await h.queuedRowIds());
    expect(queued.filter((r) => jobs.has(r.id))).toEqual([]);
  });

  it('counts refusals by outcome', async () => {
    const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    for (const outcome of [
      'unknown_connection',
      'rejected_signature',
      'rejected_ip',
      'malformed',
      'too_large',
    ]) {
      expect(metrics).toMatch(
        new RegExp(`switchboard_webhooks_received_total\\{[^}]*outcome="${outcome}"\\} [1-9]`),
      );
    }
    // made-up provider names never become label values
    expect(metrics).not.toContain('nosuchprovider');
  });
});

describe('webhook ingress behind a trusted proxy', () => {
  let h: IngressHarness;

  beforeAll(async () => {
    h = await IngressHarness.start({ env: { TRUSTED_PROXIES: '10.0.0.0/8' } });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('uses the forwarded address only when the peer is a trusted proxy', async () => {
    const c = await h.createConnection('ringba', { ipAllowlist: ['198.51.100.0/24'] });
    const send = (remoteAddress: string, forwarded: string) =>
      h.inject({
        method: 'GET',
        url: webhookUrl('ringba', c.id, { token: c.secret, event: 'incoming', call_id: randomUUID() }),
        remoteAddress,
        headers: { 'x-forwarded-for': forwarded },
      });
    const viaProxy = await send('10.1.2.3', '198.51.100.5');
    expect(viaProxy.statusCode).toBe(202);
    expect((await h.row(viaProxy.json().id)).source_ip).toBe('198.51.100.5');
    expect((await send('192.0.2.50', '198.51.100.5')).statusCode).toBe(403);
  });
});

describe('webhook ingress rate limit', () => {
  let h: IngressHarness;

  beforeAll(async () => {
    h = await IngressHarness.start({ env: { WEBHOOK_RATE_LIMIT_PER_SECOND: '1000' } });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  /**
   * Runs a burst that must fall within one rate-limit window (one wall-clock second): starts at the
   * beginning of a second, and tries again (up to 3 times) when a slow machine let it run over.
   */
  async function inOneSecond<T>(burst: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      const second = Math.floor(Date.now() / 1000);
      const result = await burst();
      if (Math.floor(Date.now() / 1000) === second || attempt === 2) return result;
    }
  }

  const pixel = (app: IngressHarness, c: { id: string; secret: string }) =>
    app.inject({
      method: 'GET',
      url: webhookUrl('ringba', c.id, { token: c.secret, event: 'incoming', call_id: randomUUID() }),
    });

  it('answers 429 with Retry-After past the per-connection limit (a connection setting overrides the default)', async () => {
    const other = await h.createConnection('ringba');
    const { limited, answers } = await inOneSecond(async () => {
      const limited = await h.createConnection('ringba', {
        settings: { webhook: { rateLimitPerSecond: 5 } },
      });
      return { limited, answers: await Promise.all(Array.from({ length: 12 }, () => pixel(h, limited))) };
    });
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 202)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(7);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({ ...ERROR_SHAPE, statusCode: 429, error: 'rate_limited' });
    // another connection has its own budget
    expect((await pixel(h, other)).statusCode).toBe(202);
    // rate-limited requests leave no rows (they would be the flood)
    expect(await h.rows('connection_id = $1', [limited.id])).toHaveLength(5);
  });

  it('shares one budget between api processes through Redis', async () => {
    const keys = h.config.encryptionKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
    const second = await IngressHarness.start({ env: { REDIS_PREFIX: h.prefix, ENCRYPTION_KEYS: keys } });
    try {
      // the second app reads the same connection from its own database: copy the row over
      const shared = async () => {
        const c = await h.createConnection('ringba', { settings: { webhook: { rateLimitPerSecond: 6 } } });
        const { rows } = await h.sql.query('SELECT * FROM provider_connections WHERE id = $1', [c.id]);
        const r = rows[0];
        await second.sql.query(
          `INSERT INTO provider_connections (id, provider_type, name, credentials, webhook_secrets, key_id, settings, features, ip_allowlist, mode, is_active)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
          [
            r.id,
            r.provider_type,
            r.name,
            r.credentials,
            r.webhook_secrets,
            r.key_id,
            r.settings,
            r.features,
            r.ip_allowlist,
            r.mode,
            r.is_active,
          ],
        );
        return c;
      };
      const answers = await inOneSecond(async () => {
        const c = await shared();
        return Promise.all(Array.from({ length: 8 }, (_, i) => pixel(i % 2 === 0 ? h : second, c)));
      });
      expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 202, 202, 202, 202, 202, 429, 429]);
    } finally {
      await second.stop();
    }
  });
});
