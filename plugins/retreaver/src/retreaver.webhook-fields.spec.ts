import { normalizeKey, type InboundWebhook } from '@switchboard/plugin-sdk';
import {
  RETREAVER_DOCUMENTED_TOKENS,
  WEBHOOK_FIELD_NAMES,
  buildWebhookTemplates,
  describeRetreaverWebhook,
  mapRetreaverWebhook,
} from './retreaver.webhooks.js';

const RECEIVED = new Date('2026-03-01T12:00:00Z');

function request(
  query: Record<string, string>,
  body?: Record<string, unknown>,
  contentType?: string,
): InboundWebhook {
  return {
    method: body ? 'POST' : 'GET',
    headers: contentType ? { 'content-type': contentType } : {},
    query,
    contentType,
    rawBody: Buffer.from(body ? JSON.stringify(body) : ''),
    body,
    receivedAt: RECEIVED,
  };
}

describe('Retreaver webhooks: provider-native shapes', () => {
  it('reads the legacy token names used as parameter names (no `event`: inferred)', () => {
    const event = mapRetreaverWebhook(
      request({
        call_uuid: 'u-legacy',
        caller_id: '+12025550143',
        called_number: '+18885550100',
        call_duration: '194',
        call_recording_url: 'https://example.com/r.mp3',
        campaign_id: '9872',
        affiliate_id: 'pub-7',
        sub_id: 'fb',
      }),
    );
    expect(event.type).toBe('call.completed');
    expect(event.eventId).toMatch(/^u-legacy:completed:[0-9a-f]{16}$/);
    expect(event.call).toMatchObject({
      externalId: 'u-legacy',
      callerNumber: '+12025550143',
      trackingNumber: '+18885550100',
      durationSeconds: 194,
      recordingUrl: 'https://example.com/r.mp3',
      campaignExternalId: '9872',
      endedAt: RECEIVED,
      tags: { publisherId: 'pub-7', publisherSubId: 'fb' },
    });
  });

  it('normalizes publisher and buyer (target, target group) from a Webhook Configurator JSON body', () => {
    const body = {
      call: {
        uuid: 'u-json',
        caller: '+12025550143',
        number: '+18885550100',
        dialed_number: '+13125550172',
        cid: 'c0ffee01',
        campaign_name: 'Home Insurance',
        afid: 'pub-7',
        affiliate_name: 'Publisher Seven',
        sid: 'sub-1',
        target_id: 27449,
        target_name: 'Buyer A',
        target_group: { id: 1639, name: 'Sales floor' },
        start_time: '2026-03-01T11:55:00Z',
        forwarded_time: '2026-03-01T11:55:12Z',
        end_time: '2026-03-01T11:58:26Z',
        total_duration: 206,
        dialed_call_duration: 194,
        connected: true,
        converted: true,
        revenue: '25.50',
        payout: 12,
        status: 'finished',
      },
    };
    const event = mapRetreaverWebhook(request({ event: 'completed' }, body, 'application/json'));
    expect(event.warnings).toBeUndefined();
    expect(event.occurredAt).toEqual(new Date('2026-03-01T11:58:26Z'));
    expect(event.call).toMatchObject({
      status: 'completed',
      campaignExternalId: 'c0ffee01',
      campaignName: 'Home Insurance',
      destinationNumber: '+13125550172',
      answeredAt: new Date('2026-03-01T11:55:12Z'),
      connectedDurationSeconds: 194,
      converted: true,
      revenue: '25.5000',
      payout: '12.0000',
      tags: {
        publisherId: 'pub-7',
        publisherName: 'Publisher Seven',
        publisherSubId: 'sub-1',
        targetId: '27449',
        targetName: 'Buyer A',
        buyerId: '27449',
        buyerName: 'Buyer A',
        targetGroupId: '1639',
        targetGroupName: 'Sales floor',
      },
    });
  });

  it('never stores a secret the sender put in the POST body', () => {
    const body = { uuid: 'u-secret', api_key: 'ak-1', call_key: 'ck-2', secret: 'sk-3', utm: 'x' };
    const event = mapRetreaverWebhook(request({ event: 'incoming' }, body, 'application/json'));
    const stored = JSON.stringify([event.call.tags, event.call.providerData]);
    expect(stored).not.toMatch(/ak-1|ck-2|sk-3/);
    expect(event.call.tags).toMatchObject({ utm: 'x' });
  });

  it('keeps valid values and warns about unusable ones', () => {
    const event = mapRetreaverWebhook(
      request({
        event: 'completed',
        uuid: 'u-warn',
        total_duration: '-5',
        revenue: 'abc',
        payout: '1,5',
        recording_url: 'javascript:alert(1)',
        status: 'teleported',
      }),
    );
    expect(event.call.durationSeconds).toBeUndefined();
    expect(event.warnings?.map((w) => w.field).sort()).toEqual(
      ['durationSeconds', 'payout', 'recordingUrl', 'revenue', 'status'].sort(),
    );
  });

  it('reads zone-less times in the connection time zone', () => {
    const event = mapRetreaverWebhook(
      request({ event: 'incoming', uuid: 'u-tz', start_time: '2026-03-01 07:00:00' }),
      {
        timeZone: 'America/New_York',
      },
    );
    expect(event.call.startedAt).toEqual(new Date('2026-03-01T12:00:00Z'));
  });

  it('gives the same inferred id to a redelivery and describe agrees with map', () => {
    const query = { uuid: 'u-redo', forwarded_time: '2026-03-01T12:00:05Z' };
    const first = mapRetreaverWebhook(request(query));
    expect(first.type).toBe('call.answered');
    expect(mapRetreaverWebhook(request({ ...query })).eventId).toBe(first.eventId);
    expect(describeRetreaverWebhook(request(query))).toEqual({
      eventType: 'call.answered',
      eventId: first.eventId,
    });
  });

  it('templates use documented tokens only, and the mapper reads every parameter they send', () => {
    const names = new Set(Object.values(WEBHOOK_FIELD_NAMES).flat().map(normalizeKey));
    for (const t of buildWebhookTemplates({ url: 'https://sb.example.com/w', secret: 's' })) {
      const url = new URL(t.url.replace(/\[/g, '%5B').replace(/\]/g, '%5D'));
      for (const [key, value] of url.searchParams) {
        if (key === 'token' || key === 'event') continue;
        expect(RETREAVER_DOCUMENTED_TOKENS).toContain(value);
        expect(names).toContain(normalizeKey(key));
      }
    }
  });
});
