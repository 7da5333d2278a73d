import { MappingError } from '@switchboard/core';
import { eventElement, serializeCallEvent, toCallEventRow, type CallEventInput } from './call-event-row.js';

const input = (
  call: Record<string, unknown>,
  occurredAt = new Date('2026-11-01T10:00:00Z'),
): CallEventInput => ({
  connectionId: 'c1',
  provider: 'retreaver',
  source: 'webhook',
  webhookLogId: 'w1',
  event: {
    type: 'call.completed',
    occurredAt,
    call: { externalId: 'X1', providerData: { a: 1 }, ...call } as never,
  },
});

describe('toCallEventRow', () => {
  it('turns an event into the statement row (times as ISO and epoch ms, money as given)', () => {
    const row = toCallEventRow(
      input({ status: 'completed', revenue: '12.5', startedAt: new Date('2026-11-01T09:59:00Z') }),
    );
    expect(row).toMatchObject({
      webhook_log_id: 'w1',
      external_id: 'X1',
      t: Date.parse('2026-11-01T10:00:00Z'),
      status: 'completed',
      revenue: '12.5',
      started_at: '2026-11-01T09:59:00.000Z',
      campaign_name: null,
      provider_data: { a: 1 },
      tags: {},
    });
  });

  it.each([
    [{ externalId: '' }, /externalId/],
    [{ externalId: 'x'.repeat(256) }, /externalId/],
    [{ revenue: '12,50' }, /revenue/],
    [{ revenue: '99999999999' }, /revenue/],
    [{ durationSeconds: 1.5 }, /duration_seconds/],
    [{ status: 'done' }, /status/],
    [{ startedAt: new Date('nope') }, /started_at/],
  ])('refuses %j with a MappingError naming the field', (call, field) => {
    expect(() => toCallEventRow(input(call))).toThrow(MappingError);
    expect(() => toCallEventRow(input(call))).toThrow(field);
  });

  it('refuses an event without a valid time', () => {
    expect(() => toCallEventRow(input({}, new Date(Number.NaN)))).toThrow(/occurredAt/);
  });
});

describe('toCallEventRow with a text longer than its column', () => {
  it('stores the call without it and carries a warning (the value is present but unusable)', () => {
    const event = input({ campaignName: 'x'.repeat(300), callerNumber: '+12025550100' });
    const row = toCallEventRow(event);
    expect(row.campaign_name).toBeNull();
    expect(row.caller_number).toBe('+12025550100');
    expect(row.mapping_warnings).toEqual([
      { field: 'campaign_name', reason: 'longer than 255 characters; not stored', value: 'x'.repeat(80) },
    ]);
    expect(event.event.warnings).toEqual(row.mapping_warnings);
  });
});

describe('serializeCallEvent', () => {
  it('keeps the statement element as JSON text and the keys the store reads back', () => {
    const row = toCallEventRow(input({ status: 'in_progress', tags: { source: 'ppc' } }));
    const event = serializeCallEvent(row);
    expect(JSON.parse(event.element)).toEqual(JSON.parse(JSON.stringify(eventElement(row))));
    expect(JSON.parse(event.element).data).toMatchObject({
      external_id: 'X1',
      status: 'in_progress',
      tags: { source: 'ppc' },
    });
    expect(event).toMatchObject({
      connectionId: 'c1',
      externalId: 'X1',
      provider: 'retreaver',
      webhookLogId: 'w1',
      eventType: 'call.completed',
      occurredAt: '2026-11-01T10:00:00.000Z',
    });
  });

  it('gives a sync event (no inbox row) a null webhookLogId', () => {
    const row = toCallEventRow({ ...input({}), source: 'sync', webhookLogId: undefined });
    expect(serializeCallEvent(row).webhookLogId).toBeNull();
  });
});
