import { readFileSync } from 'node:fs';
import { MappingError } from '@switchboard/plugin-sdk';
import {
  mapCallRecord,
  mapCampaign,
  mapNumber,
  readTags,
  unwrap,
  type RetreaverRecord,
} from './retreaver.mapper.js';

function fixture<T = unknown>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/retreaver/${name}`, import.meta.url), 'utf8'),
  ) as T;
}

const v2 = fixture<Array<{ call: RetreaverRecord }>>('calls-v2.json').map((row) => row.call);

describe('mapCallRecord', () => {
  it('maps a connected, converted V2 call field by field', () => {
    const call = mapCallRecord(v2[0]);
    expect(call).toEqual({
      externalId: 'f1abfb78-ab8a-4146-9946-8169fbcc6d6c',
      status: 'completed',
      campaignExternalId: 'c0ffee01',
      campaignName: 'Home Insurance - Inbound',
      trackingNumber: '+18885550100',
      callerNumber: '+12025550143',
      destinationNumber: '+13125550172',
      startedAt: new Date('2024-11-04T16:52:18.034Z'),
      answeredAt: new Date('2024-11-04T16:52:25.423Z'),
      endedAt: new Date('2024-11-04T16:55:32.882Z'),
      durationSeconds: 194,
      connectedDurationSeconds: 182,
      recordingUrl: 'https://example.com/recordings/f1abfb78.mp3',
      converted: true,
      revenue: '25.5000',
      payout: '12.0000',
      cost: '0.0800',
      tags: {
        geo: '301,us,us-28379,us-nc',
        status: 'success',
        system_target_id: '27449',
        publisherId: 'pub-7',
        publisherName: 'Publisher Seven',
        targetId: '27449',
        targetName: 'Buyer A - Sales',
        buyerId: '27449',
        buyerName: 'Buyer A - Sales',
        targetGroupId: '1639',
        targetGroupName: 'Sales floor',
        callerCity: 'Rockingham',
        callerState: 'NC',
        callerZip: '28379',
      },
      providerData: v2[0],
    });
    // the original record, untouched
    expect(call.providerData).toBe(v2[0]);
  });

  it('maps a call that never connected as missed, without an answer time or money', () => {
    const call = mapCallRecord(v2[1]);
    expect(call.status).toBe('missed');
    expect(call.answeredAt).toBeUndefined();
    expect(call.revenue).toBeUndefined();
    expect(call.payout).toBeUndefined();
    expect(call.converted).toBe(false);
    expect(call.cost).toBe('0.0700');
    expect(call.connectedDurationSeconds).toBe(0);
    expect('recordingUrl' in call).toBe(false);
  });

  it('maps a live call (in_progress, not yet connected) as ringing with no end', () => {
    const call = mapCallRecord(v2[2]);
    expect(call.status).toBe('ringing');
    expect(call.endedAt).toBeUndefined();
    expect(call.destinationNumber).toBeUndefined();
    expect(call.durationSeconds).toBeUndefined();
    expect(call.tags).toBeUndefined();
    expect(call.campaignExternalId).toBe('d00dfeed');
  });

  it('maps a V1 record (no connected flag, no campaign_id) from its dialed duration', () => {
    const { call: record } = fixture<{ call: RetreaverRecord }>('call-v1.json');
    const call = mapCallRecord(record);
    expect(call.status).toBe('completed');
    expect(call.campaignExternalId).toBe('0003');
    expect(call.answeredAt).toEqual(new Date('2012-04-29T12:29:51Z'));
    expect(call.campaignName).toBeUndefined();
    expect(call.revenue).toBeUndefined();
  });

  it('reads the V3 number object and the V4 campaign object', () => {
    const call = mapCallRecord({
      uuid: 'u-1',
      status: 'finished',
      connected: true,
      number: { number: '+18885550100', name: 'Publisher Joe Number' },
      campaign: { id: '12345', name: 'Woof Woof' },
    });
    expect(call.trackingNumber).toBe('+18885550100');
    expect(call.campaignExternalId).toBe('12345');
    expect(call.campaignName).toBe('Woof Woof');
  });

  it('falls back to the numeric campaign_id when cid is missing', () => {
    expect(mapCallRecord({ uuid: 'u', campaign_id: 9872 }).campaignExternalId).toBe('9872');
  });

  it('normalizes phone numbers to E.164 and drops values that are not numbers', () => {
    const call = mapCallRecord({
      uuid: 'u',
      caller: '12025550143',
      number: '(888) 555-0100',
      dialed_number: 'Restricted',
    });
    expect(call.callerNumber).toBe('+12025550143');
    expect(call.trackingNumber).toBe('+18885550100');
    expect(call.destinationNumber).toBeUndefined();
  });

  it('reads money from numbers and strings alike, without floating point', () => {
    const call = mapCallRecord({
      uuid: 'u',
      revenue: '0.1',
      payout: 12,
      total_cost: null,
      charge_total: '1,234.56',
    });
    expect(call.revenue).toBe('0.1000');
    expect(call.payout).toBe('12.0000');
    expect(call.cost).toBe('1234.5600');
  });

  it('falls back to created_at when start_time is missing', () => {
    expect(mapCallRecord({ uuid: 'u', created_at: '2024-11-04T16:52:18Z' }).startedAt).toEqual(
      new Date('2024-11-04T16:52:18Z'),
    );
  });

  it('throws a MappingError naming uuid when the call has no id', () => {
    for (const uuid of [undefined, null, '', '  ', '[call_uuid]']) {
      let thrown: unknown;
      try {
        mapCallRecord({ uuid, caller: '+12025550143' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MappingError);
      expect((thrown as MappingError).field).toBe('uuid');
      expect((thrown as MappingError).retryable).toBe(false);
    }
  });

  it('never stores a call_key', () => {
    const call = mapCallRecord({ uuid: 'u', call_key: 'secret-call-key', tags: { call_key: 'x', a: 'b' } });
    expect(JSON.stringify(call)).not.toContain('secret-call-key');
    expect(call.tags).toEqual({ a: 'b' });
  });
});

describe('readTags', () => {
  it('keeps strings, stringifies numbers and booleans, joins arrays, drops empties and objects', () => {
    expect(
      readTags({ a: 'x', n: 3, b: true, list: ['1', '2'], empty: '', obj: { k: 1 }, nul: null }),
    ).toEqual({
      a: 'x',
      n: '3',
      b: 'true',
      list: '1,2',
    });
    expect(readTags({})).toBeUndefined();
    expect(readTags('nope')).toBeUndefined();
  });
});

describe('unwrap', () => {
  it('returns the object inside its type name, else undefined', () => {
    expect(unwrap({ call: { uuid: 'x' } }, 'call')).toEqual({ uuid: 'x' });
    expect(unwrap({ call: 'x' }, 'call')).toBeUndefined();
    expect(unwrap(null, 'call')).toBeUndefined();
    expect(unwrap([{ call: {} }], 'call')).toBeUndefined();
  });
});

describe('mapCampaign / mapNumber', () => {
  it('maps campaigns by cid', () => {
    const [first] = fixture<Array<{ campaign: RetreaverRecord }>>('campaigns.json');
    expect(mapCampaign(first.campaign)).toEqual({
      externalId: 'c0ffee01',
      name: 'Home Insurance - Inbound',
      providerData: first.campaign,
    });
    expect(mapCampaign({ cid: 'x' }).name).toBe('x');
    expect(() => mapCampaign({ name: 'no id' })).toThrow(MappingError);
  });

  it('maps numbers by internal id', () => {
    const [local, tollFree] = fixture<Array<{ number: RetreaverRecord }>>('numbers.json');
    expect(mapNumber(local.number)).toEqual({
      externalId: '5',
      number: '+16475550132',
      campaignExternalId: 'c0ffee01',
      isTollFree: false,
      providerData: local.number,
    });
    expect(mapNumber(tollFree.number).isTollFree).toBe(true);
    expect(() => mapNumber({ number: '+16475550132' })).toThrow(MappingError);
    expect(() => mapNumber({ id: 1, number: 'sip:agent@example.com' })).toThrow(MappingError);
  });
});
