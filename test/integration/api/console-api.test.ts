import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyService } from '../../../apps/api/src/auth/api-key.service.js';
import { ADMIN_TOKEN, PipelineHarness, type TestConnection } from '../pipeline/pipeline-harness.js';

jest.setTimeout(60_000);

/**
 * The API additions behind the web console, against real PostgreSQL, Redis and a worker:
 * GET /me, GET /overview, GET /plugins/:provider/credential-fields and GET /calls/:id/timeline.
 */
describe('console API: whoami, overview, credential fields, call timeline', () => {
  let h: PipelineHarness;
  let api: NestFastifyApplication;
  let ringba: TestConnection;
  let readKey: string;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const request = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = admin) =>
    api.getHttpAdapter().getInstance().inject({ method, url, headers });
  const json = async (url: string, headers?: Record<string, string>) => {
    const response = await request('GET', url, headers);
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    h = await PipelineHarness.start();
    api = await h.startApi();
    ringba = await h.createConnection('ringba');
    await h.createConnection('trackdrive');
    readKey = (await api.get(ApiKeyService).create('console test', ['read'])).key;
    await h.accept(ringba, (await h.lifecycle(ringba, 2, Date.now() - 120_000)).webhooks);
    await h.drained();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it('GET /me names the token kind and its scopes; a missing or wrong token is a 401', async () => {
    expect(await json('/me')).toEqual({
      status: 200,
      body: { kind: 'admin-token', scopes: ['read', 'write', 'admin'], keyId: null },
    });
    const asReader = await json('/me', { authorization: `Bearer ${readKey}` });
    expect(asReader).toMatchObject({ status: 200, body: { kind: 'api-key', scopes: ['read'] } });
    expect(asReader.body.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await json('/me', {})).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await json('/me', { authorization: 'Bearer sk_nope_nope' })).toMatchObject({ status: 401 });
    // Documented for scripts, with the answer's shape.
    const doc = (await json('/docs/json')).body;
    expect(
      doc.paths['/overview'].get.responses['200'].content['application/json'].schema.properties,
    ).toHaveProperty('series');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/me', '/plugins/{provider}/credential-fields', '/calls/{id}/timeline']),
    );
  });

  it('GET /overview counts the last hour per connection from the inbox, with lag, queues and plugins', async () => {
    // A request with a wrong token is refused at the door and logged as rejected.
    const refused = await api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: `/webhooks/ringba/${ringba.id}?token=wrong&event=incoming` });
    expect(refused.statusCode).toBe(401);
    // One processed request failed later (as after its last retry).
    await h.sql.query(
      `UPDATE webhook_logs SET status = 'failed' WHERE id = (SELECT id FROM webhook_logs WHERE connection_id = $1 AND status = 'processed' LIMIT 1)`,
      [ringba.id],
    );
    const counts = await h.sql.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM webhook_logs WHERE connection_id = $1 GROUP BY status`,
      [ringba.id],
    );
    const by = Object.fromEntries(counts.rows.map((r) => [r.status, r.n]));
    const total = counts.rows.reduce((n, r) => n + r.n, 0);
    expect(by.rejected).toBe(1);

    const { status, body } = await json('/overview', { authorization: `Bearer ${readKey}` });
    expect(status).toBe(200);
    expect(body.windowMinutes).toBe(60);
    const mine = body.connections.find((c: { connectionId: string }) => c.connectionId === ringba.id);
    expect(mine).toMatchObject({
      provider: 'ringba',
      mode: 'live',
      active: true,
      received: total,
      rejected: 1,
      failed: 1,
      processed: by.processed,
      pending: 0,
      sync: null,
    });
    expect(mine.lagSeconds.avg).toBeGreaterThanOrEqual(0);
    expect(mine.lagSeconds.max).toBeGreaterThanOrEqual(mine.lagSeconds.avg);
    expect(Date.parse(mine.lastReceivedAt)).toBeGreaterThan(Date.now() - 3_600_000);
    const idle = body.connections.find((c: { provider: string }) => c.provider === 'trackdrive');
    expect(idle).toMatchObject({ received: 0, rejected: 0, lagSeconds: { avg: null, max: null } });
    expect(body.providers).toEqual(
      expect.arrayContaining([
        { provider: 'ringba', received: total, rejected: 1, processed: by.processed, failed: 1 },
      ]),
    );

    // 60 minutes, oldest first, the last one the current minute; every stored request counted once.
    expect(body.series).toHaveLength(60);
    const minutes = body.series.map((m: { minute: string }) => Date.parse(m.minute));
    expect(minutes.every((t: number, i: number) => i === 0 || t - minutes[i - 1] === 60_000)).toBe(true);
    expect(Math.floor(Date.now() / 60_000) * 60_000 - minutes[59]).toBeLessThanOrEqual(60_000);
    expect(body.series.reduce((n: number, m: { received: number }) => n + m.received, 0)).toBe(total);

    expect(body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'maintenance',
      'sync',
      'webhooks',
    ]);
    const webhooks = body.queues.find((q: { name: string }) => q.name === 'webhooks');
    expect(webhooks.waiting + webhooks.active + webhooks.delayed).toBe(0);
    expect(body.plugins.loaded.map((p: { provider: string }) => p.provider).sort()).toEqual([
      'generic-webhook',
      'retreaver',
      'ringba',
      'trackdrive',
    ]);
    expect(body.plugins.failed).toEqual([]);
    expect(await json('/overview', {})).toMatchObject({ status: 401 });
  });

  it('GET /plugins/:provider/credential-fields describes the form; an unknown provider is a 404', async () => {
    const { status, body } = await json('/plugins/trackdrive/credential-fields', {
      authorization: `Bearer ${readKey}`,
    });
    expect(status).toBe(200);
    expect(body.fields.map((f: { name: string }) => f.name)).toEqual([
      'subdomain',
      'publicKey',
      'privateKey',
    ]);
    expect(body.fields.find((f: { name: string }) => f.name === 'privateKey')).toMatchObject({
      secret: true,
      required: true,
      minLength: 1,
      maxLength: 200,
    });
    expect(body.fields[0].hints[0]).toMatch(/subdomain/);
    expect(await json('/plugins/nope/credential-fields')).toMatchObject({
      status: 404,
      body: { error: 'unknown_provider' },
    });
  });

  it('GET /calls/:id/timeline lists the events in order and where each field value came from', async () => {
    const [call] = await h.calls(ringba.id);
    const { status, body } = await json(`/calls/${call.id}/timeline`, { authorization: `Bearer ${readKey}` });
    expect(status).toBe(200);
    const stored = await h.sql.query<{ id: string; event_type: string; occurred_at: Date }>(
      'SELECT id, event_type, occurred_at FROM call_events WHERE call_id = $1 ORDER BY occurred_at, created_at',
      [call.id],
    );
    expect(body.events.map((e: { id: string }) => e.id)).toEqual(stored.rows.map((r) => r.id));
    expect(
      body.events.every(
        (e: { source: string; webhookLogId: string }) => e.source === 'webhook' && e.webhookLogId,
      ),
    ).toBe(true);
    // The stored status came from the newest event that carried one.
    const fieldTimes = call.field_times as Record<string, number>;
    const source = body.fieldSources.status;
    expect(source.at).toBe(new Date(fieldTimes.status).toISOString());
    const event = stored.rows.find((r) => r.occurred_at.getTime() === fieldTimes.status);
    expect(source).toMatchObject({ eventId: event?.id, source: 'webhook', eventType: event?.event_type });

    expect(await json('/calls/00000000-0000-4000-8000-000000000000/timeline')).toMatchObject({
      status: 404,
      body: { error: 'call_not_found' },
    });
    expect(await json('/calls/not-a-uuid/timeline')).toMatchObject({ status: 404 });
  });
});
