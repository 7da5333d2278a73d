import { MappingError, type CallStatus, type InboundWebhook } from '@switchboard/plugin-sdk';
import { mapCallRecord, mapCampaign, mapNumber, ringbaPhone } from './ringba.mapper.js';
import { describePixel, mapPixel, pixelParams } from './ringba.pixel-mapper.js';

const CALL_DT = Date.UTC(2025, 5, 1, 10, 0, 0);

/** A call-log record as `POST /{accountId}/calllogs` returns it (field names from R1). */
function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    inboundCallId: 'RGB1F2E3D4C5B6A79808172635445',
    callDt: CALL_DT,
    callConnectionDt: CALL_DT + 12_000,
    callCompletedDt: CALL_DT + 312_000,
    campaignId: 'CA0123456789abcdef0123456789abcdef',
    campaignName: 'Auto Insurance',
    publisherId: 'AF0123456789abcdef0123456789abcdef',
    publisherName: 'Acme Media',
    publisherSubId: 'sub-101',
    targetId: 'TA0123456789abcdef0123456789abcdef',
    targetName: 'Northwind Agency',
    targetNumber: '+13105550100',
    inboundPhoneNumber: '+12135550142',
    number: '+18005550199',
    numberId: 'PN0123456789abcdef0123456789abcdef',
    isFromNumberPool: false,
    callLengthInSeconds: 312,
    connectedCallLengthInSeconds: 300,
    timeToCallInSeconds: 0,
    timeToConnectInSeconds: 12,
    endCallSource: 'Caller',
    hasConnected: true,
    hasConverted: true,
    hasPayout: true,
    hasPreviouslyConnected: true,
    hasRecording: true,
    hasAnnotations: false,
    isLive: false,
    conversionAmount: 42.5,
    payoutAmount: 20,
    profitNet: 22.31,
    profitGross: 22.5,
    totalCost: 0.19,
    telcoCost: 0.19,
    recordingUrl: 'https://media.ringba.com/recording-public?v=v1&k=abc',
    buyer: 'Northwind',
    buyerId: 'BU0123',
    isDuplicate: false,
    isIncomplete: false,
    ...overrides,
  };
}

describe('mapCallRecord', () => {
  it('maps every field of a converted, recorded call', () => {
    const source = record();
    expect(mapCallRecord(source)).toEqual({
      externalId: 'RGB1F2E3D4C5B6A79808172635445',
      status: 'completed',
      campaignExternalId: 'CA0123456789abcdef0123456789abcdef',
      campaignName: 'Auto Insurance',
      trackingNumber: '+18005550199',
      callerNumber: '+12135550142',
      destinationNumber: '+13105550100',
      startedAt: new Date('2025-06-01T10:00:00.000Z'),
      answeredAt: new Date('2025-06-01T10:00:12.000Z'),
      endedAt: new Date('2025-06-01T10:05:12.000Z'),
      durationSeconds: 312,
      connectedDurationSeconds: 300,
      recordingUrl: 'https://media.ringba.com/recording-public?v=v1&k=abc',
      converted: true,
      revenue: '42.5000',
      payout: '20.0000',
      cost: '0.1900',
      tags: {
        publisherId: 'AF0123456789abcdef0123456789abcdef',
        publisherName: 'Acme Media',
        publisherSubId: 'sub-101',
        targetId: 'TA0123456789abcdef0123456789abcdef',
        targetName: 'Northwind Agency',
        buyerId: 'BU0123',
        buyerName: 'Northwind',
        endCallSource: 'Caller',
        isDuplicate: 'false',
      },
      providerData: source,
    });
  });

  const statusCases: Array<[string, Record<string, unknown>, CallStatus]> = [
    [
      'live and ringing',
      { isLive: true, hasConnected: false, hasPreviouslyConnected: false, connectedCallLengthInSeconds: 0 },
      'ringing',
    ],
    ['live and connected', { isLive: true }, 'in_progress'],
    ['completed', {}, 'completed'],
    [
      'missed',
      {
        hasConnected: false,
        hasPreviouslyConnected: false,
        connectedCallLengthInSeconds: 0,
        endCallSource: 'Target',
      },
      'missed',
    ],
    [
      'canceled by the caller',
      { hasConnected: false, hasPreviouslyConnected: false, connectedCallLengthInSeconds: 0 },
      'canceled',
    ],
    [
      'incomplete',
      {
        hasConnected: false,
        hasPreviouslyConnected: false,
        connectedCallLengthInSeconds: 0,
        isIncomplete: true,
        incompleteCallReason: 'Call Failed',
      },
      'failed',
    ],
    ['blocked', { hasConnected: false, blockReason: 'Duplicate Caller' }, 'rejected'],
    [
      'flags as strings',
      {
        isLive: 'false',
        hasConnected: 'false',
        hasPreviouslyConnected: 'false',
        connectedCallLengthInSeconds: '0',
        endCallSource: 'Target',
      },
      'missed',
    ],
  ];

  it.each(statusCases)('derives the status of a %s call', (_name, overrides, status) => {
    expect(mapCallRecord(record(overrides)).status).toBe(status);
  });

  it('reads string values and ISO dates as well as JSON types', () => {
    const call = mapCallRecord(
      record({
        callDt: String(CALL_DT),
        callConnectionDt: '2025-06-01T10:00:12Z',
        callLengthInSeconds: '312',
        conversionAmount: '42.50',
        hasConverted: 'true',
      }),
    );
    expect(call.startedAt).toEqual(new Date(CALL_DT));
    expect(call.answeredAt).toEqual(new Date(CALL_DT + 12_000));
    expect(call.durationSeconds).toBe(312);
    expect(call.revenue).toBe('42.5000');
    expect(call.converted).toBe(true);
  });

  it('computes the end from start + length when callCompletedDt is missing', () => {
    const call = mapCallRecord(record({ callCompletedDt: undefined }));
    expect(call.endedAt).toEqual(new Date(CALL_DT + 312_000));
    expect(mapCallRecord(record({ callCompletedDt: undefined, isLive: true })).endedAt).toBeUndefined();
  });

  it('uses detail events and message-tags (calllogs/detail)', () => {
    const call = mapCallRecord(
      record({
        callConnectionDt: undefined,
        callCompletedDt: undefined,
        events: [
          { name: 'CallPlanDetail', dtStamp: '2025-06-01T10:00:00.000Z' },
          { name: 'ConnectedCall', dtStamp: '2025-06-01T10:00:15.000Z' },
          { name: 'CompletedCall', dtStamp: '2025-06-01T10:05:30.000Z' },
        ],
        'message-tags': [
          { name: 'State', source: 'InboundNumber', type: 'InboundNumber', value: 'CA', 'value-num': null },
          { name: 'ZipCode', source: 'NumberPool', type: 'Geo', value: '', 'value-num': 90210 },
          { name: 'broken' },
          'not-a-tag',
        ],
      }),
    );
    expect(call.answeredAt).toEqual(new Date('2025-06-01T10:00:15.000Z'));
    expect(call.endedAt).toEqual(new Date('2025-06-01T10:05:30.000Z'));
    expect(call.tags).toMatchObject({
      callerState: 'CA',
      callerZip: '90210',
      'tag:InboundNumber:State': 'CA',
      'tag:Geo:ZipCode': '90210',
    });
  });

  it('leaves out what is absent or unreadable instead of failing', () => {
    const call = mapCallRecord(
      record({
        callDt: 'not-a-date',
        conversionAmount: 'n/a',
        hasConverted: 'maybe',
        inboundPhoneNumber: 'Anonymous',
        targetNumber: null,
        hasRecording: false,
        publisherSubId: '',
      }),
    );
    expect(call.startedAt).toBeUndefined();
    expect(call.revenue).toBeUndefined();
    expect(call.converted).toBeUndefined();
    expect(call.callerNumber).toBeUndefined();
    expect(call.destinationNumber).toBeUndefined();
    expect(call.recordingUrl).toBeUndefined();
    expect(call.tags).not.toHaveProperty('publisherSubId');
    expect(Object.values(call).includes(undefined)).toBe(false);
  });

  it.each([
    [{ inboundCallId: undefined }],
    [{ inboundCallId: '' }],
    [{ inboundCallId: '[Call:InboundCallId]' }],
  ])('throws a MappingError naming inboundCallId for %j', (overrides) => {
    expect(() => mapCallRecord(record(overrides))).toThrow(MappingError);
    try {
      mapCallRecord(record(overrides));
    } catch (error) {
      expect((error as MappingError).field).toBe('inboundCallId');
    }
  });
});

const RECEIVED = new Date('2025-06-01T12:00:00Z');

function pixel(query: Record<string, string | string[]>, body?: unknown): InboundWebhook {
  return {
    method: body === undefined ? 'GET' : 'POST',
    headers: {},
    query,
    rawBody: Buffer.from(typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body)),
    body,
    receivedAt: RECEIVED,
  };
}

const COMMON = {
  call_id: 'RGB1F2E3D4C5B6A79808172635445',
  caller: '12135550142',
  number: '+18005550199',
  campaign_id: 'CA0123',
  campaign_name: 'Auto Insurance',
  publisher_id: 'AF0123',
  publisher_name: 'Acme Media',
  publisher_sub_id: 'sub-101',
  duplicate: 'false',
};

describe('mapPixel', () => {
  const triggerCases: Array<[string, Record<string, string>, string, Partial<Record<string, unknown>>]> = [
    ['incoming', { state: 'CA', zip: '90210' }, 'call.started', { status: 'ringing', startedAt: RECEIVED }],
    [
      'connected',
      { target_number: '13105550100', target_name: 'Northwind' },
      'call.answered',
      { status: 'in_progress', answeredAt: RECEIVED, destinationNumber: '+13105550100' },
    ],
    ['converted', { revenue: '42.50' }, 'call.converted', { converted: true, revenue: '42.5000' }],
    ['payout', { revenue: '42.50', payout: '20' }, 'call.payout', { payout: '20.0000', revenue: '42.5000' }],
    [
      'completed',
      { duration: '312', end_source: 'Caller' },
      'call.completed',
      { status: 'completed', endedAt: RECEIVED, durationSeconds: 312 },
    ],
    ['finalized', { duration: '40' }, 'call.completed', { endedAt: RECEIVED, durationSeconds: 40 }],
    [
      'recording',
      { recording_url: 'https://media.ringba.com/r?k=1' },
      'call.recording',
      { recordingUrl: 'https://media.ringba.com/r?k=1' },
    ],
    ['error', { end_source: 'System' }, 'call.completed', { status: 'failed', endedAt: RECEIVED }],
  ];

  it.each(triggerCases)('maps the %s pixel', (trigger, extra, type, expected) => {
    const event = mapPixel(pixel({ event: trigger, ...COMMON, ...extra }));
    expect(event.type).toBe(type);
    expect(event.eventId).toBe(`${COMMON.call_id}:${trigger}`);
    expect(event.occurredAt).toBe(RECEIVED);
    expect(event.call).toMatchObject({
      externalId: COMMON.call_id,
      callerNumber: '+12135550142',
      trackingNumber: '+18005550199',
      campaignExternalId: 'CA0123',
      campaignName: 'Auto Insurance',
      ...expected,
    });
    expect(event.call.tags).toMatchObject({
      publisherId: 'AF0123',
      publisherName: 'Acme Media',
      isDuplicate: 'false',
    });
    if (trigger === 'finalized' || trigger === 'converted') expect(event.call.status).toBeUndefined();
    if (trigger !== 'converted') expect(event.call.converted).toBeUndefined();
    if (trigger === 'completed' || trigger === 'finalized') {
      // An end-of-call pixel with a call length dates the start from the end.
      expect(event.call.startedAt).toEqual(new Date(RECEIVED.getTime() - Number(extra.duration) * 1000));
    } else if (trigger !== 'incoming') expect(event.call.startedAt).toBeUndefined();
  });

  it('reads unreplaced and empty tokens as absent', () => {
    const event = mapPixel(
      pixel({
        event: 'payout',
        call_id: COMMON.call_id,
        caller: '[tag:InboundNumber:Number-NoPlus]',
        campaign_id: '[tag:Campaign:Id]',
        campaign_name: '',
        revenue: '[Call:ConversionAmount]',
        payout: ' [Call:ConversionPayout] ',
        publisher_name: '[tag:Publisher:Name]',
      }),
    );
    expect(event.call).toEqual({
      externalId: COMMON.call_id,
      providerData: expect.any(Object),
    });
  });

  it('reads a JSON body (POST pixels), the body winning over the query', () => {
    const event = mapPixel(
      pixel({ event: 'converted', call_id: 'from-query' }, { ...COMMON, revenue: '10' }),
    );
    expect(event.call.externalId).toBe(COMMON.call_id);
    expect(event.call.revenue).toBe('10.0000');
  });

  it('reads a body that arrived as unparsed JSON or form text', () => {
    expect(
      mapPixel(pixel({ event: 'incoming' }, JSON.stringify({ call_id: 'RGBJSON' }))).call.externalId,
    ).toBe('RGBJSON');
    const form = mapPixel(pixel({ event: 'incoming' }, 'call_id=RGBFORM&caller=%2B12135550142'));
    expect(form.call.externalId).toBe('RGBFORM');
    expect(form.call.callerNumber).toBe('+12135550142');
  });

  it('takes the first of repeated query values', () => {
    const event = mapPixel(pixel({ event: ['connected', 'incoming'], call_id: ['RGBA', 'RGBB'] }));
    expect(event.eventId).toBe('RGBA:connected');
  });

  it('keeps the original fields but never the token', () => {
    const event = mapPixel(pixel({ event: 'incoming', token: 'secret', ...COMMON }));
    expect(event.call.providerData).toEqual({ event: 'incoming', ...COMMON });
  });

  it('infers the trigger of an unknown event name, with a warning', () => {
    const event = mapPixel(pixel({ event: 'transferred', call_id: 'RGBX' }));
    expect(event.type).toBe('call.started');
    expect(event.eventId).toMatch(/^RGBX:incoming:[0-9a-f]{16}$/);
    expect(event.warnings).toEqual([
      expect.objectContaining({ field: 'type', source: 'event', value: 'transferred' }),
    ]);
  });

  it.each([
    [{ event: 'incoming' }],
    [{ event: 'incoming', call_id: '[Call:InboundCallId]' }],
    [{ event: 'incoming', call_id: '  ' }],
  ])('throws a MappingError naming call_id for %j', (query) => {
    try {
      mapPixel(pixel(query));
      throw new Error('expected a MappingError');
    } catch (error) {
      expect(error).toBeInstanceOf(MappingError);
      expect((error as MappingError).field).toBe('call_id');
      expect((error as MappingError).retryable).toBe(false);
    }
  });
});

describe('describePixel', () => {
  it('gives a stable id per call and trigger, and our event type', () => {
    expect(describePixel(pixel({ event: 'completed', ...COMMON }))).toEqual({
      eventId: `${COMMON.call_id}:completed`,
      eventType: 'call.completed',
    });
    expect(describePixel(pixel({ event: 'Recording' }, { call_id: 'RGBZ' }))).toEqual({
      eventId: 'RGBZ:recording',
      eventType: 'call.recording',
    });
  });

  it('does not throw without a call id or trigger', () => {
    expect(describePixel(pixel({ event: 'incoming' }))).toEqual({ eventType: 'call.started' });
    expect(describePixel(pixel({}))).toEqual({ eventType: 'call.started' });
  });

  it('merges query and body into the pixel params', () => {
    expect(pixelParams(pixel({ event: 'incoming', a: '1' }, { b: 2 }))).toEqual({
      event: 'incoming',
      a: '1',
      b: 2,
    });
  });
});

describe('ringbaPhone', () => {
  it.each([
    ['+12135550142', '+12135550142'],
    ['12135550142', '+12135550142'],
    [' 12135550142', '+12135550142'],
    ['2135550142', '+12135550142'],
    ['447911123456', '+447911123456'],
    ['+44 7911 123456', '+447911123456'],
    ['Anonymous', undefined],
    ['[tag:InboundNumber:Number]', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j -> %j', (input, expected) => {
    expect(ringbaPhone(input)).toBe(expected);
  });
});

describe('mapCampaign / mapNumber', () => {
  it('maps a campaign', () => {
    const source = { id: 'CA01', name: 'Auto Insurance', enabled: false };
    expect(mapCampaign(source)).toEqual({
      externalId: 'CA01',
      name: 'Auto Insurance',
      isActive: false,
      providerData: source,
    });
    expect(mapCampaign({ id: 'CA02' })).toEqual({
      externalId: 'CA02',
      name: 'CA02',
      providerData: { id: 'CA02' },
    });
    expect(() => mapCampaign({ name: 'no id' })).toThrow(MappingError);
  });

  it('maps a number', () => {
    const source = {
      id: 'PN01',
      phoneNumber: '+18885550100',
      displayNumber: '(888) 555-0100',
      campaignId: 'CA01',
      isTollFree: true,
      affiliate: { id: 'AF01', name: 'Acme' },
    };
    expect(mapNumber(source)).toEqual({
      externalId: 'PN01',
      number: '+18885550100',
      campaignExternalId: 'CA01',
      isTollFree: true,
      providerData: source,
    });
    expect(mapNumber({ id: 'PN02', displayNumber: '(213) 555-0142' }).number).toBe('+12135550142');
    expect(() => mapNumber({ id: 'PN03' })).toThrow(/phoneNumber/);
    expect(() => mapNumber({ phoneNumber: '+12135550142' })).toThrow(MappingError);
  });
});
