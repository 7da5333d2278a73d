import fc from 'fast-check';
import { isCallStatus, MappingError, type InboundWebhook } from '@switchboard/core';
import {
  CALL_FIELDS,
  GenericWebhookAdapter,
  MONEY_FORMATS,
  PARTY_TAG_FIELDS,
  TIME_FORMATS,
} from '@switchboard/plugin-generic-webhook';
import { toCallEventRow } from '../../../libs/pipeline/src/calls/call-event-row.js';
import { createTestProviderContext } from '../../support/provider-context.js';

/**
 * Property tests of the generic webhook mapping: whatever a sender posts, under any money and
 * time format, the plugin either throws the typed MappingError (no call id) or produces an event
 * the pipeline can store; describeWebhook agrees with mapWebhook, and secrets never reach the call.
 */
const RUNS = 300;
const E164 = /^\+[1-9]\d{6,14}$/;
const MONEY = /^-?\d{1,10}\.\d{4}$/;

/** Every mappable field read from a body key of its own name, a form field and a query parameter. */
const FIELDS = ['eventType', 'eventId', 'occurredAt', ...CALL_FIELDS, ...PARTY_TAG_FIELDS] as const;
const sources = (name: string) => [
  { from: 'body', path: `$.call.${name}` },
  { from: 'form', name },
  { from: 'query', name },
];

const scalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    '45,50',
    '1.234,50',
    '1250',
    '12.5',
    '1e21',
    '-3',
    'true',
    'yes',
    'javascript:alert(1)',
    '+12135550142',
    '7195550123',
    '2026-05-01 10:00:00',
    '05/01/2026 10:00 PM',
    '2026-02-30T10:00:00Z',
    '1777636800',
    '1777636800000',
    '[call_id]',
    'https://example.com/r.mp3',
    'ANSWERED',
    'call.hangup',
    'completed',
    'SECRET-VALUE',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('id', 'value', 'token'), scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const keys = fc.oneof(fc.constantFrom(...FIELDS, 'token', 'api_key'), fc.string({ maxLength: 10 }));
const payload = fc.dictionary(keys, value, { maxKeys: 14 });
const formats = fc.record({
  money: fc.constantFrom(...MONEY_FORMATS),
  time: fc.constantFrom(...TIME_FORMATS),
  timeZone: fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
});

function adapterFor(format: { money: string; time: string; timeZone: string }) {
  const mapping = {
    fields: Object.fromEntries(FIELDS.map((f) => [f, sources(f)])),
    statuses: { ANSWERED: 'in_progress', 'no-answer': 'missed' },
    eventTypes: { 'call.hangup': 'call.completed' },
    money: format.money,
    time: format.time,
  };
  return new GenericWebhookAdapter(
    createTestProviderContext({
      provider: 'generic-webhook',
      credentials: {},
      settings: { mapping, timeZone: format.timeZone },
    }),
  );
}

function request(query: Record<string, string>, body: unknown, contentType?: string): InboundWebhook {
  const plain: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  return {
    method: plain === undefined ? 'GET' : 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    query,
    contentType,
    rawBody: Buffer.from(plain === undefined ? '' : JSON.stringify(plain)),
    body: plain,
    receivedAt: new Date('2026-05-01T12:00:00Z'),
  };
}

function check(adapter: GenericWebhookAdapter, req: InboundWebhook): void {
  const description = adapter.describeWebhook(req);
  let event;
  try {
    event = adapter.mapWebhook(req);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return;
  }
  const { call } = event;
  expect(typeof call.externalId).toBe('string');
  if (call.status !== undefined) expect(isCallStatus(call.status)).toBe(true);
  for (const key of ['callerNumber', 'trackingNumber', 'destinationNumber'] as const)
    if (call[key] !== undefined) expect(call[key]).toMatch(E164);
  for (const key of ['revenue', 'payout', 'cost'] as const)
    if (call[key] !== undefined) expect(call[key]).toMatch(MONEY);
  for (const key of ['durationSeconds', 'connectedDurationSeconds'] as const)
    if (call[key] !== undefined) expect(Number.isInteger(call[key]) && (call[key] as number) >= 0).toBe(true);
  if (call.recordingUrl !== undefined) expect(call.recordingUrl).toMatch(/^https?:\/\//i);
  for (const tag of Object.values(call.tags ?? {})) expect(typeof tag).toBe('string');
  expect(JSON.stringify(call.providerData)).not.toMatch(/"(token|api_key)"/);
  for (const w of event.warnings ?? []) expect(w.value.length).toBeLessThanOrEqual(80);
  if (call.externalId.length <= 255 && (event.eventId?.length ?? 0) <= 255)
    expect(() =>
      toCallEventRow({
        connectionId: 'c',
        provider: 'generic-webhook',
        source: 'webhook',
        webhookLogId: 'w',
        event,
      }),
    ).not.toThrow();
  expect(description).toEqual(
    event.eventId === undefined
      ? { eventType: event.type }
      : { eventId: event.eventId, eventType: event.type },
  );
}

const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

describe('generic webhook mapping properties (fast-check)', () => {
  it('random JSON bodies, form bodies and query strings under any format: MappingError or a storable call', () => {
    fc.assert(
      fc.property(payload, formats, (fields, format) => {
        const adapter = adapterFor(format);
        check(adapter, request({}, { call: fields }, 'application/json'));
        const flat = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, text(v)]));
        check(adapter, request({}, flat, 'application/x-www-form-urlencoded'));
        check(adapter, request(flat, undefined));
      }),
      { numRuns: RUNS },
    );
  });

  it('a redelivery of the same payload gets the same event id, whatever it holds', () => {
    fc.assert(
      fc.property(payload, formats, fc.string({ minLength: 1, maxLength: 20 }), (fields, format, id) => {
        const adapter = adapterFor(format);
        const body = { call: { ...fields, externalId: id.trim() || 'x' } };
        const first = adapter.describeWebhook(request({ token: 'a' }, body, 'application/json'));
        const again = adapter.describeWebhook(
          request({ token: 'b' }, structuredClone(body), 'application/json'),
        );
        expect(again).toEqual(first);
      }),
      { numRuns: RUNS },
    );
  });
});
