import { randomUUID } from 'node:crypto';
import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

describe('webhook ingress: redeliveries and shadow mode (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let live: TestConnection;

  beforeAll(async () => {
    h = await IngressHarness.start();
    live = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  const pixel = (c: TestConnection, callId: string, event = 'completed') =>
    h.inject({ method: 'GET', url: webhookUrl('ringba', c.id, { token: c.secret, event, call_id: callId }) });

  it('answers a redelivery 200 with the original id, queues it once and keeps an audit row', async () => {
    const callId = `RGB-${randomUUID()}`;
    const first = await pixel(live, callId);
    expect(first.statusCode).toBe(202);
    const original = first.json().id as string;
    const second = await pixel(live, callId);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ id: original, status: 'duplicate' });

    const rows = await h.rows('event_id = $1', [`${callId}:completed`]);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === original)).toMatchObject({
      status: 'queued',
      dedup_key: `${live.id}:${callId}:completed`,
    });
    expect(rows.find((r) => r.id !== original)).toMatchObject({
      status: 'ignored',
      http_status: 200,
      dedup_key: null,
      error: `duplicate of ${original}`,
    });
    const jobs = await h.queuedRowIds();
    expect(jobs.filter((id) => rows.some((r) => r.id === id))).toEqual([original]);
  });

  it('lets a different trigger of the same call through', async () => {
    const callId = `RGB-${randomUUID()}`;
    expect((await pixel(live, callId, 'incoming')).statusCode).toBe(202);
    expect((await pixel(live, callId, 'connected')).statusCode).toBe(202);
  });

  it('stores and queues exactly one of many concurrent deliveries of one event', async () => {
    const callId = `RGB-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => pixel(live, callId)));
    const accepted = answers.filter((a) => a.statusCode === 202);
    expect(accepted).toHaveLength(1);
    const id = accepted[0].json().id as string;
    expect(answers.filter((a) => a.statusCode === 200).every((a) => a.json().id === id)).toBe(true);
    const accepted_rows = await h.rows('event_id = $1 AND dedup_key IS NOT NULL', [`${callId}:completed`]);
    expect(accepted_rows.map((r) => r.id)).toEqual([id]);
    expect((await h.queuedRowIds()).filter((j) => j === id)).toHaveLength(1);
  });

  it('shadow mode: verifies and logs as ignored, never queues', async () => {
    const shadow = await h.createConnection('ringba', { mode: 'shadow' });
    const callId = `RGB-${randomUUID()}`;
    const res = await pixel(shadow, callId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: expect.any(String), status: 'ignored' });
    const row = await h.row(res.json().id);
    expect(row).toMatchObject({
      status: 'ignored',
      error: 'shadow mode',
      verification: 'token:ok',
      dedup_key: null,
      connection_id: shadow.id,
    });
    expect(await h.queuedRowIds()).not.toContain(row.id);
    // still verified
    const bad = await h.inject({
      method: 'GET',
      url: webhookUrl('ringba', shadow.id, { token: 'wrong', event: 'completed', call_id: callId }),
    });
    expect(bad.statusCode).toBe(401);
  });

  it('counts duplicates as their own outcome', async () => {
    const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /switchboard_webhooks_received_total\{provider="ringba",event_type="call.completed",outcome="duplicate"\} [1-9]/,
    );
  });
});
