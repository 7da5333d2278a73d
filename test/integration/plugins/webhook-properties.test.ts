import fc from 'fast-check';
import {
  MappingError,
  isCallStatus,
  type CallTrackingProvider,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
} from '@switchboard/core';
import { corpusRequest, type WebhookCorpusCase } from '@switchboard/plugin-sdk/testing';
import { toCallEventRow } from '../../../libs/pipeline/src/calls/call-event-row.js';
import { mapCallRecord as mapRetreaverRecord } from '../../../plugins/retreaver/src/retreaver.mapper.js';
import { mapCallRecord as mapRingbaRecord } from '../../../plugins/ringba/src/ringba.mapper.js';
import { mapCallRecord as mapTrackDriveRecord } from '../../../plugins/trackdrive/src/trackdrive.mapper.js';
import { adapterFor, loadCorpus } from './webhook-corpus.helpers.js';

/**
 * Property tests: random and mutated payloads fed to every webhook mapper. Whatever arrives, a
 * mapper either throws the typed MappingError or produces an event the pipeline can store
 * (toCallEventRow accepts it: statuses, E.164 numbers, 4-place money in range, whole seconds,
 * valid dates, http(s) URLs), and describeWebhook never throws and agrees with mapWebhook.
 */
const PROVIDERS = ['ringba', 'retreaver', 'trackdrive'] as const;
const RUNS = 300;
const E164 = /^\+[1-9]\d{6,14}$/;
const MONEY = /^-?\d{1,10}\.\d{4}$/;

/** Keys the mappers know (so random payloads hit the typed readers, not just tags). */
const KNOWN_KEYS = [
  'event',
  'call_id',
  'inboundCallId',
  'uuid',
  'call_uuid',
  'caller',
  'inboundPhoneNumber',
  'caller_id',
  'caller_number',
  'number',
  'number_called',
  'called_number',
  'campaign_id',
  'campaignId',
  'cid',
  'offer_id',
  'campaign_name',
  'campaignName',
  'offer',
  'revenue',
  'conversionAmount',
  'payout',
  'payoutAmount',
  'duration',
  'callLengthInSeconds',
  'total_duration',
  'call_duration',
  'answered_duration',
  'connectedCallLengthInSeconds',
  'dialed_call_duration',
  'recording_url',
  'recordingUrl',
  'callDt',
  'callConnectionDt',
  'callCompletedDt',
  'start_time',
  'end_time',
  'forwarded_time',
  'created_at',
  'ended_at',
  'updated_at',
  'status',
  'connected',
  'converted',
  'hasConnected',
  'hasConverted',
  'buyer_converted',
  'isLive',
  'target_number',
  'targetNumber',
  'dialed_number',
  'connected_to',
  'trackdrive_cost',
  'provider_cost',
  'total_cost',
  'charge_total',
  'totalCost',
  'token',
  'api_key',
  'call_key',
  'tags',
  'token_values',
  'target_group',
  'call',
];
const EVENTS = [
  'incoming',
  'connected',
  'answered',
  'converted',
  'payout',
  'completed',
  'finalized',
  'recording',
  'error',
  'selected',
  'ringing',
  'updated',
  'bogus',
  'new_call',
  'call_ended',
];

const scalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '45,50',
    '1e21',
    '-3',
    'abc',
    'true',
    'javascript:alert(1)',
    '+12135550142',
    '2026-05-01 10:00:00',
    '2026-02-30T10:00:00Z',
    '1780000000000',
    '[Call:InboundCallId]',
    '0',
    '1.99999',
    'https://example.com/r.mp3',
    'finished',
    'no-answer',
    '9999999999.9999',
    '-9999999999',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 5, arbitrary: scalar },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom(...KNOWN_KEYS, 'id', 'name', 'value'), scalar, { maxKeys: 4 }),
  },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const payload = fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 12 })), value, {
  maxKeys: 12,
});

/** As text in a query string or form field (objects as their JSON). */
const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function request(query: Record<string, string>, input: unknown, contentType?: string): InboundWebhook {
  // What the ingress parses is plain JSON: a round trip drops what JSON cannot say.
  const body: unknown = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
  return {
    method: body === undefined ? 'GET' : 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    query,
    contentType,
    rawBody: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    body,
    receivedAt: new Date('2026-05-01T12:00:00Z'),
  };
}

/** Checks one request against the invariants; returns the event when the mapper produced one. */
function checkRequest(adapter: CallTrackingProvider, provider: string, req: InboundWebhook) {
  const description = adapter.describeWebhook(req);
  let event: NormalizedCallEvent;
  try {
    event = adapter.mapWebhook(req);
  } catch (error) {
    if (error instanceof MappingError) return undefined;
    throw error;
  }
  const call = event.call;
  expect(typeof call.externalId).toBe('string');
  if (call.status !== undefined) expect(isCallStatus(call.status)).toBe(true);
  for (const key of ['callerNumber', 'trackingNumber', 'destinationNumber'] as const) {
    if (call[key] !== undefined) expect(call[key]).toMatch(E164);
  }
  for (const key of ['revenue', 'payout', 'cost'] as const)
    if (call[key] !== undefined) expect(call[key]).toMatch(MONEY);
  for (const key of ['durationSeconds', 'connectedDurationSeconds'] as const) {
    if (call[key] !== undefined) expect(Number.isInteger(call[key]) && (call[key] as number) >= 0).toBe(true);
  }
  if (call.recordingUrl !== undefined) expect(call.recordingUrl).toMatch(/^https?:\/\//i);
  for (const tag of Object.values(call.tags ?? {})) expect(typeof tag).toBe('string');
  expect(JSON.stringify([call.tags, call.providerData])).not.toMatch(/SECRET-VALUE/);
  for (const w of event.warnings ?? []) {
    expect(typeof w.field).toBe('string');
    expect(w.value.length).toBeLessThanOrEqual(80);
  }
  // The pipeline stores it: the row builder refuses nothing a mapper produced (but a too-long id).
  if (call.externalId.length <= 255) {
    expect(() =>
      toCallEventRow({ connectionId: 'c', provider, source: 'webhook', webhookLogId: 'w', event }),
    ).not.toThrow();
  }
  expect(description).toEqual(
    event.eventId === undefined
      ? { eventType: event.type }
      : { eventId: event.eventId, eventType: event.type },
  );
  return event;
}

describe.each(PROVIDERS)('%s webhook mapper properties (fast-check)', (provider) => {
  const adapter = adapterFor(provider);
  const corpus = loadCorpus(provider);

  it('random query strings: MappingError or a storable call', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 12 })),
          fc.string({ maxLength: 40 }),
          {
            maxKeys: 12,
          },
        ),
        fc.constantFrom(...EVENTS),
        (query, event) => {
          checkRequest(adapter, provider, request({ event, ...query }, undefined));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('random JSON and form bodies: MappingError or a storable call', () => {
    fc.assert(
      fc.property(payload, fc.boolean(), (body, nest) => {
        const json = nest ? { call: body } : body;
        checkRequest(adapter, provider, request({}, json, 'application/json'));
        const form = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, text(v)]));
        checkRequest(adapter, provider, request({}, form, 'application/x-www-form-urlencoded'));
      }),
      { numRuns: RUNS },
    );
  });

  it('mutated corpus payloads: MappingError or a storable call, secrets never kept', () => {
    const cases = corpus.cases;
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.tuple(fc.constantFrom(...KNOWN_KEYS), fc.option(value, { nil: undefined })), {
          maxLength: 4,
        }),
        (c: WebhookCorpusCase, mutations) => {
          const base = corpusRequest(c);
          const apply = (record: Record<string, unknown>) => {
            const copy: Record<string, unknown> = {
              ...record,
              secret: 'SECRET-VALUE',
              api_key: 'SECRET-VALUE',
            };
            for (const [key, v] of mutations) {
              if (v === undefined) delete copy[key];
              else copy[key] = v;
            }
            return copy;
          };
          if (base.body && typeof base.body === 'object' && !Array.isArray(base.body)) {
            const body = JSON.parse(JSON.stringify(apply(base.body as Record<string, unknown>))) as unknown;
            checkRequest(adapter, provider, { ...base, body, rawBody: Buffer.from(JSON.stringify(body)) });
          } else {
            const query = Object.fromEntries(
              Object.entries(apply(base.query as Record<string, unknown>)).map(([k, v]) => [k, text(v)]),
            );
            checkRequest(adapter, provider, { ...base, query });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('API record mappers (fast-check)', () => {
  const mappers: Array<[string, (record: Record<string, unknown>) => NormalizedCall]> = [
    ['ringba', mapRingbaRecord],
    ['retreaver', (r) => mapRetreaverRecord(r)],
    ['trackdrive', (r) => mapTrackDriveRecord(r)],
  ];

  it.each(mappers)('%s: random records give a MappingError or a storable call', (provider, map) => {
    fc.assert(
      fc.property(payload, (input) => {
        const record = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
        let call: NormalizedCall;
        try {
          call = map(record);
        } catch (error) {
          if (error instanceof MappingError) return;
          throw error;
        }
        if (call.externalId.length > 255) return;
        const event: NormalizedCallEvent = { type: 'call.updated', occurredAt: new Date(), call };
        expect(() => toCallEventRow({ connectionId: 'c', provider, source: 'sync', event })).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
