import { MappingError, type InboundWebhook } from '@switchboard/plugin-sdk';
import { mapCall, mapWebhook } from './starter.mapper.js';

const webhook = (query: Record<string, string>, body: unknown): InboundWebhook => ({
  method: 'POST',
  headers: {},
  query,
  rawBody: Buffer.from(JSON.stringify(body)),
  body,
  receivedAt: new Date('2026-01-01T00:00:00Z'),
});

describe('starter mapper', () => {
  it('maps an API record to a normalized call', () => {
    const call = mapCall({
      id: 'c1',
      status: 'answered',
      caller: '(555) 010-2000',
      revenue: '12.5',
      started_at: '2026-01-01T10:00:00Z',
    });
    expect(call).toMatchObject({
      externalId: 'c1',
      status: 'in_progress',
      callerNumber: '+15550102000',
      revenue: '12.5000',
    });
    expect(call.startedAt?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('maps a webhook by its trigger and names the event', () => {
    const event = mapWebhook(webhook({ event: 'completed' }, { id: 'c1', status: 'completed' }));
    expect(event).toMatchObject({
      type: 'call.completed',
      eventId: 'c1:completed',
      call: { status: 'completed' },
    });
  });

  it('refuses a payload without a call id, naming the field', () => {
    expect(() => mapWebhook(webhook({ event: 'completed' }, {}))).toThrow(MappingError);
  });
});
