import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

describe('webhook ingress: accepted deliveries (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let retreaver: TestConnection;
  let ringba: TestConnection;
  let trackdrive: TestConnection;

  beforeAll(async () => {
    h = await IngressHarness.start();
    retreaver = await h.createConnection('retreaver');
    ringba = await h.createConnection('ringba');
    trackdrive = await h.createConnection('trackdrive');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('stores a JSON POST byte for byte, enqueues one job named by the row id, and answers 202', async () => {
    const payload = '{ "uuid": "c-json-1",\n  "caller": "+15550100",   "status": "finished" }';
    const res = await h.inject({
      url: webhookUrl('retreaver', retreaver.id, {
        token: retreaver.secret,
        event: 'completed',
        api_key: 'leak',
      }),
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-json-1',
        authorization: 'Bearer nope',
      },
      payload,
    });
    expect(res.statusCode).toBe(202);
    const body = res.json() as { id: string; status: string };
    expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });

    const row = await h.row(body.id);
    expect(row).toMatchObject({
      connection_id: retreaver.id,
      provider: 'retreaver',
      event_type: 'call.completed',
      event_id: 'c-json-1:completed',
      dedup_key: `${retreaver.id}:c-json-1:completed`,
      method: 'POST',
      content_type: 'application/json',
      verification: 'token:ok',
      status: 'queued',
      http_status: 202,
      error: null,
    });
    expect(row.raw_body?.equals(Buffer.from(payload))).toBe(true);
    // secrets removed from what is stored
    expect(row.query).toEqual({ event: 'completed' });
    expect(row.headers.authorization).toBeUndefined();
    expect(row.headers['x-request-id']).toBe('req-json-1');
    expect(JSON.stringify(row)).not.toContain(retreaver.secret);
    expect(row.source_ip).toBe('127.0.0.1');

    const job = await h.queue.getJob(body.id);
    expect(job?.data).toEqual({
      webhookLogId: body.id,
      connectionId: retreaver.id,
      provider: 'retreaver',
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(job?.opts.attempts).toBe(h.config.webhook.maxAttempts);
    expect(job?.opts.backoff).toEqual({ type: 'switchboard' });
  });

  it('takes GET pixels with their data in the query string (Ringba)', async () => {
    const res = await h.inject({
      method: 'GET',
      url: `${webhookUrl('ringba', ringba.id)}?token=${encodeURIComponent(ringba.secret)}&event=incoming&call_id=RGB1&caller=15550101`,
    });
    expect(res.statusCode).toBe(202);
    const row = await h.row(res.json().id);
    expect(row).toMatchObject({
      method: 'GET',
      event_type: 'call.started',
      event_id: 'RGB1:incoming',
      raw_body: null,
      status: 'queued',
    });
    expect(row.query).toEqual({ event: 'incoming', call_id: 'RGB1', caller: '15550101' });
  });

  it.each(['POST', 'PUT', 'PATCH'])('takes %s pixels with the token in the header', async (method) => {
    const res = await h.inject({
      method,
      url: webhookUrl('ringba', ringba.id, { event: 'completed', call_id: `RGB-${method}` }),
      headers: { 'x-switchboard-token': ringba.secret, 'content-type': 'application/json' },
      payload: JSON.stringify({ duration: '42' }),
    });
    expect(res.statusCode).toBe(202);
    const row = await h.row(res.json().id);
    expect(row.method).toBe(method);
    expect(row.headers['x-switchboard-token']).toBeUndefined();
  });

  it('takes form-encoded bodies (TrackDrive) and keeps them as sent', async () => {
    const payload = 'uuid=td-form-1&status=finished&caller_number=%2B15550102&tags=a&tags=b';
    const res = await h.inject({
      url: webhookUrl('trackdrive', trackdrive.id, { token: trackdrive.secret, event: 'completed' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    expect(res.statusCode).toBe(202);
    const row = await h.row(res.json().id);
    expect(row.raw_body?.toString()).toBe(payload);
    expect(row.content_type).toBe('application/x-www-form-urlencoded');
    expect(row.status).toBe('queued');
  });

  it('keeps bodies of other types as bytes (text, no content type)', async () => {
    const bytes = Buffer.from([0x75, 0x75, 0x69, 0x64, 0x3d, 0xff, 0x00, 0x0a]);
    const res = await h.inject({
      url: webhookUrl('retreaver', retreaver.id, {
        token: retreaver.secret,
        event: 'completed',
        uuid: 'c-bytes',
      }),
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    expect(res.statusCode).toBe(202);
    expect((await h.row(res.json().id)).raw_body?.equals(bytes)).toBe(true);
  });

  it('leaves the JSON parsing of the rest of the API alone', async () => {
    const bad = await h.inject({
      url: '/connections',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      payload: '{not json',
    });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.json()).toMatchObject({ statusCode: bad.statusCode, error: expect.any(String) });
  });

  it('does not answer HEAD (a probe is not a delivery)', async () => {
    const res = await h.inject({
      method: 'HEAD',
      url: webhookUrl('retreaver', retreaver.id, { token: retreaver.secret }),
    });
    expect(res.statusCode).toBe(404);
  });

  it('counts accepted webhooks by provider, event type and outcome, and times them', async () => {
    const res = await h.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(
      /switchboard_webhooks_received_total\{provider="retreaver",event_type="call.completed",outcome="accepted"\} [1-9]/,
    );
    expect(res.body).toMatch(
      /switchboard_webhooks_received_total\{provider="ringba",event_type="call.started",outcome="accepted"\} 1/,
    );
    expect(res.body).toMatch(/switchboard_webhook_ingress_duration_seconds_count\{provider="ringba"\} [1-9]/);
  });

  it('never writes a call itself (that is the worker’s job)', async () => {
    expect(await h.callCount()).toBe(0);
  });
});
