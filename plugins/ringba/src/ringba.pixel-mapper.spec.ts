import type { InboundWebhook } from '@switchboard/plugin-sdk';
import { describePixel, mapPixel } from './ringba.pixel-mapper.js';

const RECEIVED = new Date('2026-05-01T12:00:00.000Z');

function request(query: Record<string, string>, body?: unknown, contentType?: string): InboundWebhook {
  const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: body === undefined ? 'GET' : 'POST',
    headers: {},
    query,
    contentType,
    rawBody: Buffer.from(raw),
    body,
    receivedAt: RECEIVED,
  };
}

/** A pixel body an operator built from Ringba's own call-log field names (camelCase). */
const NATIVE = {
  inboundCallId: 'RGB9F8E7D6C5B4A39281706F5E4D3',
  inboundPhoneNumber: '+12135550142',
  number: '+18005550199',
  campaignId: 'CA55aa',
  campaignName: 'Solar Leads',
  publisherId: 'AF01',
  publisherName: 'Acme Media',
  publisherSubId: 'fb-7',
  targetId: 'TA02',
  targetName: 'Northwind Solar',
  targetNumber: '+13105550100',
  callDt: 1_777_636_800_000, // 2026-05-01T12:00:00Z
  callConnectionDt: 1_777_636_812_000,
  callCompletedDt: 1_777_637_112_000,
  callLengthInSeconds: 312,
  connectedCallLengthInSeconds: 300,
  hasConnected: true,
  hasConverted: true,
  conversionAmount: '42.50',
  payoutAmount: '20',
  recordingUrl: 'https://media.ringba.com/recording/1.mp3',
  endCallSource: 'Caller',
};

describe('mapPixel: Ringba-native field names', () => {
  it('maps a camelCase JSON body fully, inferring a finalized event without `event`', () => {
    const event = mapPixel(request({}, NATIVE, 'application/json'));
    expect(event.type).toBe('call.completed');
    expect(event.eventId).toMatch(/^RGB9F8E7D6C5B4A39281706F5E4D3:finalized:[0-9a-f]{16}$/);
    expect(event.occurredAt.toISOString()).toBe('2026-05-01T12:05:12.000Z');
    expect(event.warnings).toBeUndefined();
    expect(event.call).toMatchObject({
      externalId: NATIVE.inboundCallId,
      status: 'completed',
      campaignExternalId: 'CA55aa',
      campaignName: 'Solar Leads',
      callerNumber: '+12135550142',
      trackingNumber: '+18005550199',
      destinationNumber: '+13105550100',
      startedAt: new Date(NATIVE.callDt),
      answeredAt: new Date(NATIVE.callConnectionDt),
      endedAt: new Date(NATIVE.callCompletedDt),
      durationSeconds: 312,
      connectedDurationSeconds: 300,
      recordingUrl: NATIVE.recordingUrl,
      converted: true,
      revenue: '42.5000',
      payout: '20.0000',
      tags: expect.objectContaining({
        publisherId: 'AF01',
        publisherName: 'Acme Media',
        publisherSubId: 'fb-7',
        targetId: 'TA02',
        targetName: 'Northwind Solar',
        endCallSource: 'Caller',
      }),
    });
  });

  it('reads the same names from a form body and from a query string', () => {
    const text = new URLSearchParams(
      Object.fromEntries(Object.entries(NATIVE).map(([k, v]) => [k, String(v)])),
    ).toString();
    const form = mapPixel(
      request({}, Object.fromEntries(new URLSearchParams(text)), 'application/x-www-form-urlencoded'),
    );
    const query = mapPixel(request(Object.fromEntries(new URLSearchParams(text))));
    for (const event of [form, query]) {
      expect(event.call.revenue).toBe('42.5000');
      expect(event.call.durationSeconds).toBe(312);
      expect(event.call.startedAt).toEqual(new Date(NATIVE.callDt));
    }
    expect(form.eventId).toBe(query.eventId);
  });

  it('reads token-shaped parameter names (`InboundCallId`, `tag:Geo:ZipCode`)', () => {
    const event = mapPixel(
      request({
        InboundCallId: 'RGBTOKEN',
        'tag:InboundNumber:Number-NoPlus': '12135550142',
        'tag:Geo:ZipCode': '90210',
        'Call:ConversionAmount': '5',
      }),
    );
    expect(event.type).toBe('call.converted');
    expect(event.call).toMatchObject({
      externalId: 'RGBTOKEN',
      callerNumber: '+12135550142',
      revenue: '5.0000',
    });
    expect(event.call.tags).toMatchObject({ callerZip: '90210' });
  });

  it.each([
    [{ call_id: 'A' }, 'incoming', 'call.started'],
    [{ call_id: 'A', callConnectionDt: '2026-05-01T12:00:10Z' }, 'connected', 'call.answered'],
    [{ call_id: 'A', revenue: '1' }, 'converted', 'call.converted'],
    [{ call_id: 'A', payoutAmount: '1' }, 'payout', 'call.payout'],
    [{ call_id: 'A', recordingUrl: 'https://x.example/r.mp3' }, 'recording', 'call.recording'],
    [{ call_id: 'A', duration: '9' }, 'finalized', 'call.completed'],
  ])('infers the trigger of %j as %s, stable across redeliveries', (query, trigger, type) => {
    const first = mapPixel(request(query));
    expect(first.type).toBe(type);
    expect(first.eventId?.startsWith(`A:${trigger}:`)).toBe(true);
    expect(mapPixel(request({ ...query })).eventId).toBe(first.eventId);
    expect(describePixel(request(query))).toEqual({ eventId: first.eventId, eventType: type });
  });

  it('keeps the valid values and warns about the unusable ones', () => {
    const event = mapPixel(
      request({
        event: 'finalized',
        call_id: 'RGBW',
        caller: '12135550142',
        revenue: '45,50',
        payout: '1.99999',
        duration: '-12',
        recording_url: 'javascript:alert(1)',
        callDt: 'yesterday',
      }),
    );
    expect(event.call).toMatchObject({ externalId: 'RGBW', callerNumber: '+12135550142', payout: '2.0000' });
    expect(event.call.revenue).toBeUndefined();
    expect(event.call.durationSeconds).toBeUndefined();
    expect(event.call.recordingUrl).toBeUndefined();
    expect(event.warnings?.map((w) => w.field).sort()).toEqual(
      ['durationSeconds', 'recordingUrl', 'revenue', 'startedAt'].sort(),
    );
    expect(event.warnings?.find((w) => w.field === 'revenue')).toMatchObject({ value: '45,50' });
  });

  it('reads zone-less dates in the connection time zone', () => {
    const event = mapPixel(request({ call_id: 'RGBZ', callDt: '2026-05-01 08:00:00' }), {
      timeZone: 'America/New_York',
    });
    expect(event.call.startedAt?.toISOString()).toBe('2026-05-01T12:00:00.000Z');
  });

  it('never stores secret keys of the body in tags or providerData', () => {
    const event = mapPixel(
      request(
        { token: 'tok' },
        { call_id: 'RGBS', api_key: 'k-123', secret: 's', utm_source: 'fb', nested: { password: 'p' } },
      ),
    );
    const stored = JSON.stringify([event.call.tags, event.call.providerData]);
    expect(stored).not.toMatch(/k-123|"s"|tok|"p"/);
    expect(event.call.tags).toMatchObject({ utm_source: 'fb' });
  });
});
