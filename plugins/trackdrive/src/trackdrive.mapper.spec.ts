import { MappingError } from '@switchboard/plugin-sdk';
import {
  mapCallRecord,
  mapOffer,
  mapPhoneNumber,
  readConversion,
  readStatus,
  unwrapCallPayload,
} from './trackdrive.mapper.js';

/** A finished call as GET /api/v1/calls renders it (default serializer; field names from D11). */
function apiCall(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 500000123,
    uuid: '5cc8897c-ad0f-44cb-8ea7-8f7736ae76f1',
    created_at: '2026-01-15T07:00:00.250-05:00',
    updated_at: '2026-01-15T07:06:10.000-05:00',
    ended_at: '2026-01-15T07:05:30.000-05:00',
    caller_number: '+17195550123',
    number_called: '+18885550104',
    number_id: 20004,
    connected_to: '+13035550199',
    offer: 'Auto Insurance',
    offer_id: 10001,
    traffic_source: 'Publisher North',
    traffic_source_id: 30001,
    sub_id: 'sub-3',
    buyer: 'Acme Insurance Agency',
    buyer_id: 40001,
    status: 'finished',
    hangup_cause: 'NORMAL_CLEARING',
    total_duration: 330,
    answered_duration: 300,
    hold_duration: 12,
    ivr_duration: 8,
    buyer_converted: 'Converted',
    traffic_source_converted: 'Converted',
    revenue: '42.5',
    payout: '18.0',
    trackdrive_cost: '0.05',
    provider_cost: '0.07',
    recording_url: 'https://recordings.trackdrive.com/calls/5cc8897c.mp3',
    token_values: { zip_code: '80202', loan_amount: 5000, empty: null, list: ['a', 'b'] },
    caller_city: 'Denver',
    caller_state: 'CO',
    caller_country: 'US',
    ...overrides,
  };
}

describe('mapCallRecord', () => {
  it('maps an API call record field by field', () => {
    const record = apiCall();
    const call = mapCallRecord(record);
    expect(call).toEqual({
      externalId: '5cc8897c-ad0f-44cb-8ea7-8f7736ae76f1',
      status: 'completed',
      campaignExternalId: '10001',
      campaignName: 'Auto Insurance',
      trackingNumber: '+18885550104',
      callerNumber: '+17195550123',
      destinationNumber: '+13035550199',
      startedAt: new Date('2026-01-15T12:00:00.250Z'),
      // No answered_at in the record: the end minus the buyer's talk time.
      answeredAt: new Date('2026-01-15T12:00:30.000Z'),
      endedAt: new Date('2026-01-15T12:05:30.000Z'),
      durationSeconds: 330,
      connectedDurationSeconds: 300,
      recordingUrl: 'https://recordings.trackdrive.com/calls/5cc8897c.mp3',
      converted: true,
      revenue: '42.5000',
      payout: '18.0000',
      cost: '0.1200',
      tags: {
        zip_code: '80202',
        loan_amount: '5000',
        list: 'a,b',
        traffic_source_id: '30001',
        traffic_source: 'Publisher North',
        buyer_id: '40001',
        buyer: 'Acme Insurance Agency',
        sub_id: 'sub-3',
        hangup_cause: 'NORMAL_CLEARING',
        caller_city: 'Denver',
        caller_state: 'CO',
        caller_country: 'US',
        offer_converted: 'Converted',
        publisherId: '30001',
        publisherName: 'Publisher North',
        publisherSubId: 'sub-3',
        buyerId: '40001',
        buyerName: 'Acme Insurance Agency',
      },
      providerData: record,
    });
    expect(call.providerData).toBe(record);
  });

  it('reads the "2016-01-01 12:25:15 -0500" format and UTC suffixes', () => {
    const call = mapCallRecord(
      apiCall({
        created_at: '2016-01-01 12:25:15 -0500',
        ended_at: '2016-01-01 17:30:00 UTC',
        answered_at: '2016-01-01 12:26:00 +0000',
      }),
    );
    expect(call.startedAt).toEqual(new Date('2016-01-01T17:25:15Z'));
    expect(call.endedAt).toEqual(new Date('2016-01-01T17:30:00Z'));
    expect(call.answeredAt).toEqual(new Date('2016-01-01T12:26:00Z'));
  });

  it('reads a body rendered from the webhook template (every value a string)', () => {
    const call = mapCallRecord({
      uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
      status: 'finished',
      caller_number: '17195550123',
      number_called: '8885550104',
      connected_to: '(303) 555-0199',
      offer_id: '10001',
      offer_name: 'Auto Insurance',
      buyer: 'Acme',
      created_at: '2026-01-15 12:00:00 +0000',
      total_duration: '330',
      agent_duration: '300',
      revenue: '42.50',
      payout: '18',
      provider_cost: '0.07',
      buyer_converted: 'true',
      offer_converted: 'true',
      recording_url: 'https://example.com/r.mp3',
      hangup_cause: '[hangup_cause]',
      geo_state: 'CO',
    });
    expect(call).toMatchObject({
      externalId: 'a1b2c3d4-0000-4000-8000-000000000001',
      status: 'completed',
      callerNumber: '+17195550123',
      trackingNumber: '+18885550104',
      destinationNumber: '+13035550199',
      campaignExternalId: '10001',
      campaignName: 'Auto Insurance',
      startedAt: new Date('2026-01-15T12:00:00Z'),
      durationSeconds: 330,
      connectedDurationSeconds: 300,
      revenue: '42.5000',
      payout: '18.0000',
      cost: '0.0700',
      converted: true,
      recordingUrl: 'https://example.com/r.mp3',
      tags: { buyer: 'Acme', caller_state: 'CO', offer_converted: 'true' },
    });
    expect(call.tags).not.toHaveProperty('hangup_cause');
  });

  it('treats unreplaced tokens and blanks as absent instead of blanking fields', () => {
    const call = mapCallRecord({
      uuid: 'a1b2c3d4-0000-4000-8000-000000000002',
      status: '[status]',
      caller_number: '[caller_id]',
      number_called: '',
      revenue: '[revenue]{0}',
      payout: '{payout}',
      recording_url: '[recording_url]',
      buyer_converted: '[buyer_converted]',
      total_duration: '',
      created_at: '[call_start_time_utc]',
    });
    expect(call).toEqual({
      externalId: 'a1b2c3d4-0000-4000-8000-000000000002',
      providerData: expect.any(Object),
    });
  });

  it('reads nested offer/number objects (call_grid-style)', () => {
    const call = mapCallRecord({
      uuid: 'u-1',
      offer: { id: 77, name: 'Solar' },
      number: { number: '+18885550100' },
      status: 'established',
    });
    expect(call).toMatchObject({
      campaignExternalId: '77',
      campaignName: 'Solar',
      trackingNumber: '+18885550100',
    });
    expect(call.status).toBe('in_progress');
  });

  it('accepts the uuid under the names buyers and webhooks use', () => {
    for (const key of ['uuid', 'call_uuid', 'trackdrive_call_uuid', 'td_uuid']) {
      expect(mapCallRecord({ [key]: 'abc' }).externalId).toBe('abc');
    }
  });

  it('throws a MappingError naming "uuid" when there is no call id', () => {
    const attempt = () => mapCallRecord({ id: 42, status: 'finished' });
    expect(attempt).toThrow(MappingError);
    try {
      attempt();
    } catch (error) {
      expect((error as MappingError).field).toBe('uuid');
      expect((error as MappingError).retryable).toBe(false);
    }
    expect(() => mapCallRecord({ uuid: '  ' })).toThrow(/uuid/);
  });

  it('ignores anonymous callers and non-URL recordings', () => {
    const call = mapCallRecord(apiCall({ caller_number: 'Anonymous', recording_url: 'pending' }));
    expect(call.callerNumber).toBeUndefined();
    expect(call.recordingUrl).toBeUndefined();
  });

  it('prefers total_cost, else adds trackdrive_cost and provider_cost', () => {
    expect(mapCallRecord(apiCall({ total_cost: '1.5' })).cost).toBe('1.5000');
    expect(mapCallRecord(apiCall({ trackdrive_cost: null })).cost).toBe('0.0700');
    expect(mapCallRecord(apiCall({ trackdrive_cost: null, provider_cost: null })).cost).toBeUndefined();
  });

  it('accepts token_values as a list of {key, value}', () => {
    const call = mapCallRecord({
      uuid: 'u',
      token_values: [
        { key: 'zip', value: '10001' },
        { name: 'tier', value: 2 },
      ],
    });
    expect(call.tags).toEqual({ zip: '10001', tier: '2' });
  });
});

describe('readConversion', () => {
  it.each([
    [true, true],
    [false, false],
    ['Converted', true],
    ['converted', true],
    ['Not Converted', false],
    ['not_converted', false],
    ['Did Not Convert', false],
    ['true', true],
    ['1', true],
    ['0', false],
    ['no', false],
    ['[buyer_converted]', undefined],
    ['', undefined],
    [null, undefined],
    ['maybe', undefined],
  ])('reads %p as %p', (value, expected) => {
    expect(readConversion(value)).toBe(expected);
  });
});

describe('readStatus', () => {
  it('falls back to sub_status, then to what the record shows', () => {
    expect(readStatus({ status: 'mystery', sub_status: 'no-answer' })).toBe('missed');
    expect(readStatus({ ended_at: '2026-01-01 00:00:00 +0000', answered_duration: 12 })).toBe('completed');
    expect(readStatus({ ended_at: '2026-01-01 00:00:00 +0000', answered_duration: 0 })).toBe('missed');
    expect(readStatus({ ended_at: '2026-01-01 00:00:00 +0000' })).toBeUndefined();
    expect(readStatus({ answered_at: '2026-01-01 00:00:00 +0000' })).toBe('in_progress');
    expect(readStatus({})).toBeUndefined();
  });
});

describe('unwrapCallPayload', () => {
  const inner = { uuid: 'x' };
  it.each([
    ['bare object', inner],
    ['wrapped in call', { call: inner }],
    ['wrapped in data', { data: inner }],
    ['in an array', [inner]],
    ['wrapped in an array', [{ call: inner }]],
  ])('finds the call in a %s', (_label, payload) => {
    expect(unwrapCallPayload(payload)).toEqual(inner);
  });

  it('keeps a record that has its own uuid, even with a data field', () => {
    const record = { uuid: 'x', data: { note: 'not a call' } };
    expect(unwrapCallPayload(record)).toBe(record);
  });

  it('answers undefined for non-objects', () => {
    expect(unwrapCallPayload('text')).toBeUndefined();
    expect(unwrapCallPayload([])).toBeUndefined();
    expect(unwrapCallPayload(undefined)).toBeUndefined();
  });
});

describe('mapOffer', () => {
  it('maps id, name and active flag', () => {
    const record = { id: 10001, name: 'Auto Insurance', active: true };
    expect(mapOffer(record)).toEqual({
      externalId: '10001',
      name: 'Auto Insurance',
      isActive: true,
      providerData: record,
    });
    expect(mapOffer({ id: 2, name: 'B', status: 'paused' }).isActive).toBe(false);
    expect(mapOffer({ id: 3, name: 'C', paused: 'true' }).isActive).toBe(false);
    expect(mapOffer({ id: 4 }).name).toBe('Offer 4');
    expect(mapOffer({ id: 5, name: 'E' }).isActive).toBeUndefined();
  });

  it('refuses an offer without id', () => {
    expect(() => mapOffer({ name: 'x' })).toThrow(MappingError);
  });
});

describe('mapPhoneNumber', () => {
  it('maps a phone number and spots NANP toll-free numbers', () => {
    const record = { id: 20001, number: '+18885550100', offer_id: 10001 };
    expect(mapPhoneNumber(record)).toEqual({
      externalId: '20001',
      number: '+18885550100',
      campaignExternalId: '10001',
      isTollFree: true,
      providerData: record,
    });
    expect(mapPhoneNumber({ id: 2, plain_number: '7195550100' })).toMatchObject({
      number: '+17195550100',
      isTollFree: false,
    });
    expect(mapPhoneNumber({ id: 3, human_number: '+44 1224 980000' }).isTollFree).toBeUndefined();
  });

  it('refuses a number without id or without a usable number', () => {
    expect(() => mapPhoneNumber({ number: '+18885550100' })).toThrow(/id/);
    expect(() => mapPhoneNumber({ id: 1, number: 'n/a' })).toThrow(/number/);
  });
});
