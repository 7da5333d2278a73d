import { randomUUID } from 'node:crypto';
import { signStandardWebhook } from '@switchboard/core';
import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

describe('webhook ingress: signatures, replay window and secret rotation (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;

  beforeAll(async () => {
    // Rotation takes effect at once here; in production within the connection cache TTL (5 s).
    h = await IngressHarness.start({ cacheTtlMs: 0, env: { WEBHOOK_TOLERANCE_SECONDS: '300' } });
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  function signed(
    c: TestConnection,
    secret: string,
    options: { at?: number; body?: string; msgId?: string } = {},
  ) {
    const body = options.body ?? JSON.stringify({ uuid: `c-${randomUUID()}`, status: 'finished' });
    const at = options.at ?? Math.floor(Date.now() / 1000);
    const msgId = options.msgId ?? `msg_${randomUUID()}`;
    return {
      url: webhookUrl('trackdrive', c.id, { event: 'completed' }),
      headers: {
        'content-type': 'application/json',
        'webhook-id': msgId,
        'webhook-timestamp': String(at),
        'webhook-signature': signStandardWebhook(secret, msgId, at, body),
      },
      payload: body,
    };
  }

  describe('Standard Webhooks HMAC (settings.webhook.scheme = "hmac")', () => {
    let c: TestConnection;
    beforeAll(async () => {
      c = await h.createConnection('trackdrive', { settings: { webhook: { scheme: 'hmac' } } });
    });

    it('accepts a correctly signed request and stores no signature', async () => {
      const res = await h.inject(signed(c, c.secret));
      expect(res.statusCode).toBe(202);
      const row = await h.row(res.json().id);
      expect(row).toMatchObject({ verification: 'hmac:ok', status: 'queued' });
      expect(row.headers['webhook-signature']).toBeUndefined();
      expect(row.headers['webhook-id']).toMatch(/^msg_/);
    });

    it('refuses a replay outside the tolerance window, even with a valid signature', async () => {
      const old = Math.floor(Date.now() / 1000) - 400;
      const res = await h.inject(signed(c, c.secret, { at: old }));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'timestamp_out_of_tolerance' });
      const future = await h.inject(signed(c, c.secret, { at: old + 800 }));
      expect(future.statusCode).toBe(401);
      const rows = await h.rows("verification = 'hmac:timestamp_out_of_tolerance'");
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.status === 'rejected')).toBe(true);
    });

    it('answers a replay inside the window as a duplicate of the same message id', async () => {
      const request = signed(c, c.secret, { msgId: 'msg_replayed', body: '{"no_call_id":true}' });
      const first = await h.inject(request);
      expect(first.statusCode).toBe(202);
      const again = await h.inject(request);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ id: first.json().id, status: 'duplicate' });
    });

    it('refuses a tampered body, a wrong key and a missing signature', async () => {
      const good = signed(c, c.secret);
      const tampered = await h.inject({ ...good, payload: good.payload.replace('finished', 'failed') });
      expect(tampered.statusCode).toBe(401);
      expect(tampered.json()).toMatchObject({ error: 'invalid_signature' });
      const wrong = await h.inject(signed(c, 'whsec_d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk'));
      expect(wrong.statusCode).toBe(401);
      const unsigned = await h.inject({
        url: good.url,
        headers: { 'content-type': 'application/json' },
        payload: good.payload,
      });
      expect(unsigned.json()).toMatchObject({ error: 'missing_signature' });
      // the shared token is not accepted in place of a signature
      const tokened = await h.inject({
        url: `${good.url}&token=${c.secret}`,
        payload: good.payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(tokened.statusCode).toBe(401);
    });

    it('accepts both secrets while rotating, and only the new one after the old is revoked', async () => {
      const { webhookSecret: next } = await h.connections().rotateWebhookSecret(c.id);
      const withNew = await h.inject(signed(c, next));
      expect(withNew.statusCode).toBe(202);
      const withOld = await h.inject(signed(c, c.secret));
      expect(withOld.statusCode).toBe(202);
      expect((await h.row(withOld.json().id)).verification).toBe('hmac:ok:previous_secret');
      await h.connections().revokePreviousWebhookSecrets(c.id);
      expect((await h.inject(signed(c, c.secret))).statusCode).toBe(401);
      expect((await h.inject(signed(c, next))).statusCode).toBe(202);
    });
  });

  describe('shared token rotation', () => {
    it('accepts the previous token until it is revoked', async () => {
      const c = await h.createConnection('retreaver');
      const send = (token: string) =>
        h.inject({
          method: 'GET',
          url: webhookUrl('retreaver', c.id, { token, event: 'answered', uuid: randomUUID() }),
        });
      const { webhookSecret: next } = await h.connections().rotateWebhookSecret(c.id);
      expect((await send(next)).statusCode).toBe(202);
      const old = await send(c.secret);
      expect(old.statusCode).toBe(202);
      expect((await h.row(old.json().id)).verification).toBe('token:ok:previous_secret');
      await h.connections().revokePreviousWebhookSecrets(c.id);
      expect((await send(c.secret)).statusCode).toBe(401);
      expect((await send(next)).statusCode).toBe(202);
    });
  });

  it('refuses everything for a connection whose settings name a scheme its plugin cannot do', async () => {
    const c = await h.createConnection('retreaver', { settings: { webhook: { scheme: 'none' } } });
    const res = await h.inject({
      method: 'GET',
      url: webhookUrl('retreaver', c.id, { token: c.secret, event: 'completed', uuid: 'x' }),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'misconfigured' });
  });
});
