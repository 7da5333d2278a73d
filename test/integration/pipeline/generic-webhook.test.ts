import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signStandardWebhook, tamperWebhook } from '@switchboard/plugin-sdk/testing';
import {
  GENERIC_SENDER_MAPPING,
  genericSenderCall,
  genericSenderRequest,
  type GenericSenderRequest,
  type GenericSenderShape,
  type GenericSenderStep,
} from '../../simulators/src/generic-webhook/generic-sender.js';
import { ADMIN_TOKEN, PipelineHarness, waitFor } from './pipeline-harness.js';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * A system Switchboard has no plugin for, wired with a mapping only: the connection is created
 * through the API with `settings.mapping`, the stand-in dialer posts its own format to the real
 * ingress (token in the URL or a header, or Standard Webhooks signatures), and the worker stores
 * the normalized call.
 */
describe('generic webhook plugin through the API, the ingress and the worker', () => {
  let h: PipelineHarness;
  let api: NestFastifyApplication;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    api = await h.startApi();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  const inject = (
    options: Parameters<ReturnType<NestFastifyApplication['getHttpAdapter']>['getInstance']>[0],
  ) => api.getHttpAdapter().getInstance().inject(options);

  async function createConnection(settings: Record<string, unknown>) {
    const res = await inject({
      method: 'POST',
      url: '/connections',
      headers: AUTH,
      payload: { provider: 'generic-webhook', name: `dialer ${Math.random()}`, credentials: {}, settings },
    });
    expect(res.statusCode).toBe(201);
    const { connection, webhookSecret } = res.json() as { connection: { id: string }; webhookSecret: string };
    return { id: connection.id, secret: webhookSecret };
  }

  /** Sends one of the dialer's requests to the connection; `sign` adds the Standard Webhooks headers. */
  function send(
    connection: { id: string; secret: string },
    sent: GenericSenderRequest,
    auth: 'query-token' | 'header-token' | 'hmac' | 'hmac-tampered',
  ) {
    const query = new URLSearchParams(sent.query);
    const headers: Record<string, string> = sent.contentType ? { 'content-type': sent.contentType } : {};
    if (auth === 'query-token') query.set('token', connection.secret);
    if (auth === 'header-token') headers['x-switchboard-token'] = connection.secret;
    let payload = sent.body;
    if (auth === 'hmac' || auth === 'hmac-tampered') {
      const request = {
        method: sent.method,
        headers,
        query: sent.query,
        contentType: sent.contentType,
        rawBody: Buffer.from(sent.body ?? ''),
        body: sent.contentType?.includes('json')
          ? JSON.parse(sent.body ?? '{}')
          : Object.fromEntries(new URLSearchParams(sent.body)),
        receivedAt: new Date(),
      };
      const signed = signStandardWebhook(request, connection.secret);
      const delivered = auth === 'hmac' ? signed : tamperWebhook(signed);
      Object.assign(headers, delivered.headers);
      payload = delivered.rawBody.toString('utf8');
    }
    const search = query.toString();
    return inject({
      method: sent.method,
      url: `/webhooks/generic-webhook/${connection.id}${search ? `?${search}` : ''}`,
      headers,
      payload,
    });
  }

  async function processed(connectionId: string, count: number) {
    await waitFor(
      async () =>
        (await h.count(
          `SELECT count(*) FROM webhook_logs WHERE connection_id = $1 AND status = 'processed'`,
          [connectionId],
        )) === count,
      20_000,
    );
  }

  async function storedCall(connectionId: string) {
    const list = await inject({ method: 'GET', url: `/calls?connection=${connectionId}`, headers: AUTH });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(1);
    return items[0];
  }

  it('stores a call sent with a token as JSON (token in the URL), form (token header) and a GET query', async () => {
    const connection = await createConnection({ mapping: GENERIC_SENDER_MAPPING, timeZone: 'UTC' });
    const call = genericSenderCall(1, new Date(Date.now() - 120_000));
    const steps: Array<[GenericSenderStep, GenericSenderShape, 'query-token' | 'header-token']> = [
      ['ring', 'json', 'query-token'],
      ['answer', 'form', 'header-token'],
      ['hangup', 'query', 'query-token'],
    ];
    for (const [step, shape, auth] of steps) {
      const res = await send(connection, genericSenderRequest(call, step, shape), auth);
      expect(res.statusCode).toBe(202);
    }
    // A retry of the ring (new sent_at stamp, which the mapping ignores for event ids) is a duplicate.
    const retry = await send(
      connection,
      genericSenderRequest(call, 'ring', 'json', new Date(Date.now() + 5_000)),
      'query-token',
    );
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ status: 'duplicate' });
    // Without the token: refused, nothing queued.
    const anonymous = await inject({
      method: 'GET',
      url: `/webhooks/generic-webhook/${connection.id}?cid=x`,
    });
    expect(anonymous.statusCode).toBe(401);

    await processed(connection.id, 3);
    const answeredAt = new Date(call.startedAt.getTime() + call.ringSeconds * 1000);
    const stored = await storedCall(connection.id);
    expect(stored).toMatchObject({
      externalId: call.id,
      provider: 'generic-webhook',
      status: 'completed',
      callerNumber: `+1${call.caller}`,
      trackingNumber: `+1${call.called}`,
      campaignName: 'Home loans',
      durationSeconds: call.ringSeconds + call.talkSeconds,
      revenue: expect.stringMatching(/^10\.25(00)?$/),
    });
    expect(new Date(stored.answeredAt as string).getTime()).toBe(
      Math.floor(answeredAt.getTime() / 1000) * 1000,
    );
    expect(stored.endedAt).toEqual(expect.any(String));
  });

  it('stores a call sent signed with HMAC (Standard Webhooks) as JSON and form, and refuses tampered ones', async () => {
    const connection = await createConnection({
      mapping: GENERIC_SENDER_MAPPING,
      webhook: { scheme: 'hmac' },
    });
    const templates = await inject({
      method: 'GET',
      url: `/connections/${connection.id}/webhook-templates`,
      headers: AUTH,
    });
    const items = templates.json().items as Array<{
      trigger: string;
      url: string;
      headers?: Record<string, string>;
    }>;
    expect(items.map((t) => t.trigger)).toEqual(['json', 'form']);
    expect(JSON.stringify(items)).not.toContain(connection.secret);
    expect(items[0].headers).toHaveProperty('webhook-signature');

    const call = genericSenderCall(2, new Date(Date.now() - 60_000));
    const tampered = await send(connection, genericSenderRequest(call, 'ring', 'json'), 'hmac-tampered');
    expect(tampered.statusCode).toBe(401);
    const unsigned = await send(connection, genericSenderRequest(call, 'ring', 'json'), 'query-token');
    expect(unsigned.statusCode).toBe(401);
    for (const [step, shape] of [
      ['ring', 'json'],
      ['answer', 'form'],
      ['hangup', 'json'],
    ] as const) {
      const res = await send(connection, genericSenderRequest(call, step, shape), 'hmac');
      expect(res.statusCode).toBe(202);
    }
    await processed(connection.id, 3);
    expect(await storedCall(connection.id)).toMatchObject({
      externalId: call.id,
      status: 'completed',
      connectedDurationSeconds: call.talkSeconds,
    });
  });

  it('refuses a bad mapping with 400 invalid_settings naming the problem, on create and on change', async () => {
    const create = (settings?: Record<string, unknown>) =>
      inject({
        method: 'POST',
        url: '/connections',
        headers: AUTH,
        payload: { provider: 'generic-webhook', name: 'bad', credentials: {}, settings },
      });
    const missing = await create();
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      error: 'invalid_settings',
      details: { field: 'settings.mapping' },
    });

    const badPath = await create({
      mapping: { fields: { externalId: { from: 'body', path: '$.calls[*].id' } } },
    });
    expect(badPath.statusCode).toBe(400);
    expect(badPath.json()).toMatchObject({
      error: 'invalid_settings',
      message: expect.stringContaining('settings.mapping.fields.externalId.path "$.calls[*].id"'),
      details: { field: 'settings.mapping.fields.externalId.path' },
    });

    const connection = await createConnection({ mapping: GENERIC_SENDER_MAPPING });
    const patch = (settings: Record<string, unknown>) =>
      inject({ method: 'PATCH', url: `/connections/${connection.id}`, headers: AUTH, payload: { settings } });
    const badStatus = await patch({
      mapping: { ...GENERIC_SENDER_MAPPING, statuses: { ANSWERED: 'answered' }, money: 'euros' },
    });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().details.problems).toEqual([
      {
        field: 'settings.mapping.statuses.ANSWERED',
        message: expect.stringContaining('"answered" is not one of our call statuses'),
      },
      { field: 'settings.mapping.money', message: expect.stringContaining('decimal, cents, decimal-comma') },
    ]);
    const unknownField = await patch({
      mapping: {
        fields: { externalId: { from: 'query', name: 'cid' }, caller: { from: 'query', name: 'c' } },
      },
    });
    expect(unknownField.json()).toMatchObject({ details: { field: 'settings.mapping.fields.caller' } });
    expect(
      (await patch({ mapping: { fields: { externalId: { from: 'query', name: 'cid' } } } })).statusCode,
    ).toBe(200);
  });
});
