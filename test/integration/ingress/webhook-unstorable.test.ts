import { randomUUID } from 'node:crypto';
import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

/**
 * Deliveries that used to be acknowledged and then strand or fail forever: a redelivery of an
 * event id longer than the dedup column, and bodies PostgreSQL's jsonb (or the worker) can never
 * store.
 */
describe('webhook ingress: long event ids and unstorable bodies (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let ringba: TestConnection;
  let retreaver: TestConnection;

  beforeAll(async () => {
    h = await IngressHarness.start();
    ringba = await h.createConnection('ringba');
    retreaver = await h.createConnection('retreaver');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('answers a redelivery of a 1,000-character event id 200 duplicate, not 503', async () => {
    const callId = `RGB-${randomUUID()}-${'x'.repeat(1_000)}`;
    const pixel = () =>
      h.inject({
        method: 'GET',
        url: webhookUrl('ringba', ringba.id, { token: ringba.secret, event: 'completed', call_id: callId }),
      });
    const first = await pixel();
    expect(first.statusCode).toBe(202);
    const original = first.json().id as string;
    const again = await pixel();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: original, status: 'duplicate' });
    // concurrent redeliveries too
    const many = await Promise.all(Array.from({ length: 5 }, pixel));
    expect(many.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(many.every((r) => r.json().id === original)).toBe(true);

    const stored = await h.row(original);
    expect(stored.dedup_key?.length).toBeLessThanOrEqual(320);
    expect(stored.dedup_key).toMatch(new RegExp(`^${ringba.id}:sha256:[0-9a-f]{64}$`));
    expect((await h.queuedRowIds()).filter((id) => id === original)).toHaveLength(1);
  });

  const post = (payload: string, uuid = randomUUID()) =>
    h.inject({
      url: webhookUrl('retreaver', retreaver.id, { token: retreaver.secret, event: 'completed' }),
      headers: { 'content-type': 'application/json' },
      payload: payload.replace('UUID', uuid),
    });

  it('refuses JSON holding \\u0000 with 422 and an audit row, before acknowledging', async () => {
    const payload = '{"uuid": "UUID", "caller_name": "Ann\\u0000Lee", "status": "finished"}';
    const res = await post(payload);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      statusCode: 422,
      error: 'unstorable_body',
      message: expect.stringMatching(/NUL character/),
      requestId: expect.any(String),
    });
    const [row] = await h.rows(`status = 'rejected' AND http_status = 422 AND error LIKE '%NUL%'`);
    expect(row).toMatchObject({ connection_id: retreaver.id, verification: 'token:ok', dedup_key: null });
    expect(row.raw_body?.toString()).toContain('\\u0000');
    expect(await h.rows(`status IN ('queued', 'received')`)).not.toContainEqual(
      expect.objectContaining({ id: row.id }),
    );
  });

  it('refuses JSON nested 30,000 deep with 422 and an audit row', async () => {
    const depth = 30_000;
    const payload = `{"uuid": "UUID", "extra": ${'['.repeat(depth)}1${']'.repeat(depth)}}`;
    const res = await post(payload);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: 'unstorable_body',
      message: expect.stringMatching(/nested deeper/),
    });
    const rows = await h.rows(`status = 'rejected' AND http_status = 422 AND error LIKE '%nested deeper%'`);
    expect(rows).toHaveLength(1);
    const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /switchboard_webhooks_received_total\{provider="retreaver",event_type="unknown",outcome="unstorable"\} 2/,
    );
  });

  it('still accepts ordinary nesting and text with escapes', async () => {
    const res = await post('{"uuid": "UUID", "caller_name": "Ann \\u00e9 \\t Lee", "a": [[[{"b": 1}]]]}');
    expect(res.statusCode).toBe(202);
  });
});
