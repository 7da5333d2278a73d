import { randomBytes } from 'node:crypto';
import type { WebhookTemplate } from '@switchboard/core';
import { standardWebhookKey, verifyStandardWebhook } from '@switchboard/core';
import { CALL_LIFECYCLES } from '../pipeline/webhook-fixtures.js';
import { WebhookTraffic, type ScaleConnection } from './webhook-traffic.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;

function connection(
  provider: string,
  scheme: 'hmac' | 'token',
  template: Omit<WebhookTemplate, 'trigger' | 'providerTrigger'>,
): ScaleConnection {
  return {
    id: `${provider}-1`,
    provider,
    scheme,
    secret: scheme === 'hmac' ? secret : 'tok',
    templates: new Map(
      CALL_LIFECYCLES[provider].map((trigger) => [
        trigger,
        { ...template, trigger, providerTrigger: trigger },
      ]),
    ),
  };
}

const ringba = connection('ringba', 'token', {
  method: 'GET',
  url: 'http://127.0.0.1:3000/webhooks/ringba/ringba-1?token=tok&call_id=[Call:InboundCallId]&caller=[tag:InboundNumber:Number-NoPlus]',
});
const trackdrive = connection('trackdrive', 'hmac', {
  method: 'POST',
  url: 'http://127.0.0.1:3000/webhooks/trackdrive/trackdrive-1?token=tok',
  headers: { 'x-switchboard-token': 'tok' },
  contentType: 'application/json',
  body: '{"status":"[status]","number_called":"[number_called]"}',
});

describe('WebhookTraffic', () => {
  it('sends each call its whole lifecycle in order, many calls interleaved', () => {
    const traffic = new WebhookTraffic([ringba], 3);
    const requests = Array.from({ length: 3 * CALL_LIFECYCLES.ringba.length }, () => traffic.next());
    expect(traffic.calls).toBe(3);
    const byCall = new Map<string, number>();
    requests.forEach((r, i) => {
      const call = new URL(`http://x${r.path}`).searchParams.get('call_id') as string;
      byCall.set(call, (byCall.get(call) ?? 0) + 1);
      // three calls open: consecutive requests belong to different calls
      if (i > 0)
        expect(call).not.toBe(new URL(`http://x${requests[i - 1].path}`).searchParams.get('call_id'));
    });
    expect([...byCall.values()]).toEqual([6, 6, 6]);
    expect(requests[0].path).toContain('token=tok');
    expect(requests[0].eventId).toBeUndefined();
  });

  it('signs HMAC connections per Standard Webhooks, without the token, one id per event', () => {
    const traffic = new WebhookTraffic([trackdrive], 2);
    const requests = Array.from({ length: 12 }, () => traffic.next());
    for (const r of requests) {
      expect(r.path).not.toContain('token=');
      expect(r.headers['x-switchboard-token']).toBeUndefined();
      expect(r.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r.body as string)).toEqual({
        status: expect.any(String),
        number_called: expect.stringMatching(/^\+1800/),
      });
      const result = verifyStandardWebhook(r.headers, Buffer.from(r.body as string), {
        keys: [standardWebhookKey(secret)],
        toleranceSeconds: 300,
      });
      expect(result).toEqual({ ok: true, secretIndex: 0 });
    }
    expect(new Set(requests.map((r) => r.eventId)).size).toBe(12);
  });

  it('spreads new calls over the connections in turn', () => {
    const traffic = new WebhookTraffic([ringba, trackdrive], 4);
    const paths = Array.from({ length: 4 }, () => traffic.next().path);
    expect(paths.map((p) => p.split('/')[2])).toEqual(['ringba', 'trackdrive', 'ringba', 'trackdrive']);
  });
});
