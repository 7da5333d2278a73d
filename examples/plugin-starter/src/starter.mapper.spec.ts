import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
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
    assert.equal(call.externalId, 'c1');
    assert.equal(call.status, 'in_progress');
    assert.equal(call.callerNumber, '+15550102000');
    assert.equal(call.revenue, '12.5000');
    assert.equal(call.startedAt?.toISOString(), '2026-01-01T10:00:00.000Z');
  });

  it('maps a webhook by its trigger and names the event', () => {
    const event = mapWebhook(webhook({ event: 'completed' }, { id: 'c1', status: 'completed' }));
    assert.equal(event.type, 'call.completed');
    assert.equal(event.eventId, 'c1:completed');
    assert.equal(event.call.status, 'completed');
  });

  it('refuses a payload without a call id, naming the field', () => {
    assert.throws(() => mapWebhook(webhook({ event: 'completed' }, {})), MappingError);
  });
});
