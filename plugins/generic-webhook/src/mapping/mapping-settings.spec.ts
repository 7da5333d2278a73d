import fc from 'fast-check';
import { compileMapping, mappingProblems } from './mapping-settings.js';

const id = { from: 'body', path: '$.call.id' };
const fieldsOf = (settings: Record<string, unknown>) => mappingProblems(settings).map((p) => p.field);

describe('settings.mapping checks', () => {
  it('accepts a full mapping and compiles its sources, tables and formats', () => {
    const { mapping, problems } = compileMapping({
      mapping: {
        fields: {
          externalId: [id, { from: 'query', name: 'cid' }],
          callerNumber: { from: 'form', name: 'caller' },
          eventId: { from: 'header', name: 'X-Event-Id' },
          campaignName: { constant: 'Spring' },
          buyerName: { from: 'body', path: "$['buyer name']" },
        },
        tags: { source: { from: 'query', name: 'utm_source' } },
        statuses: { ' ANSWERED ': 'completed', 'no-answer': 'missed' },
        eventTypes: { start: 'call.started' },
        money: 'cents',
        time: 'local',
        dateOrder: 'MDY',
        phoneCountry: 'GB',
        eventIdIgnore: ['sent_at'],
      },
    });
    expect(problems).toEqual([]);
    expect(mapping?.fields.externalId?.map((s) => s.label)).toEqual(['$.call.id', 'query:cid']);
    expect(mapping?.fields.eventId?.[0]).toMatchObject({ kind: 'header', name: 'x-event-id' });
    expect(mapping?.fields.campaignName?.[0]).toMatchObject({ kind: 'constant', value: 'Spring' });
    expect(mapping?.statuses.get('answered')).toBe('completed');
    expect(mapping?.eventTypes.get('start')).toBe('call.started');
    expect(mapping).toMatchObject({ money: 'cents', time: 'local', dateOrder: 'MDY', phoneCountry: 'GB' });
  });

  it('defaults: decimal money, ISO 8601 times, US numbers', () => {
    expect(compileMapping({ mapping: { fields: { externalId: id } } }).mapping).toMatchObject({
      money: 'decimal',
      time: 'iso8601',
      dateOrder: 'YMD',
      phoneCountry: 'US',
      eventIdIgnore: [],
    });
  });

  it('needs a mapping, and a call id in it', () => {
    expect(mappingProblems({})).toEqual([
      { field: 'settings.mapping', message: expect.stringContaining('is required') },
    ]);
    expect(mappingProblems(undefined)).toHaveLength(1);
    expect(fieldsOf({ mapping: 'yes' })).toEqual(['settings.mapping']);
    expect(fieldsOf({ mapping: { fields: { callerNumber: id } } })).toEqual([
      'settings.mapping.fields.externalId',
    ]);
    expect(fieldsOf({ mapping: { fields: { externalId: { constant: 'x' } } } })).toEqual([
      'settings.mapping.fields.externalId',
    ]);
  });

  it.each([
    [
      'settings.mapping.fields.revenu',
      { fields: { externalId: id, revenu: id } },
      'is not a field Switchboard maps',
    ],
    [
      'settings.mapping.fields.externalId.path',
      { fields: { externalId: { from: 'body', path: '$.calls[*].id' } } },
      'no wildcards',
    ],
    ['settings.mapping.fields.externalId.path', { fields: { externalId: { from: 'body' } } }, 'is required'],
    [
      'settings.mapping.fields.externalId.from',
      { fields: { externalId: { from: 'cookie', name: 'x' } } },
      'must be',
    ],
    [
      'settings.mapping.fields.externalId',
      { fields: { externalId: { from: 'query', name: 'cid', path: '$.x' } } },
      '"name" only',
    ],
    [
      'settings.mapping.fields.externalId[1]',
      { fields: { externalId: [id, 'call_id'] } },
      'must be a source',
    ],
    ['settings.mapping.fields.externalId', { fields: { externalId: [] } }, 'one source or a list'],
    [
      'settings.mapping.fields.callerNumber.name',
      { fields: { externalId: id, callerNumber: { from: 'query', name: 'token' } } },
      'secret',
    ],
    [
      'settings.mapping.fields.callerNumber.name',
      { fields: { externalId: id, callerNumber: { from: 'header', name: 'Authorization' } } },
      'secret',
    ],
    [
      'settings.mapping.fields.externalId.path',
      { fields: { externalId: { from: 'body', path: '$.auth.api_key' } } },
      'secret',
    ],
    [
      'settings.mapping.fields.campaignName.constant',
      { fields: { externalId: id, campaignName: { constant: { a: 1 } } } },
      'text, a number',
    ],
    [
      'settings.mapping.statuses.ANSWERED',
      { fields: { externalId: id }, statuses: { ANSWERED: 'answered' } },
      'is not one of our call statuses',
    ],
    [
      'settings.mapping.statuses.A',
      { fields: { externalId: id }, statuses: { a: 'missed', A: 'completed' } },
      'repeats',
    ],
    [
      'settings.mapping.eventTypes.end',
      { fields: { externalId: id }, eventTypes: { end: 'call.ended' } },
      'is not one of our event types',
    ],
    [
      'settings.mapping.money',
      { fields: { externalId: id }, money: 'euro' },
      'decimal, cents, decimal-comma',
    ],
    ['settings.mapping.time', { fields: { externalId: id }, time: 'rfc2822' }, 'iso8601, unix-seconds'],
    [
      'settings.mapping.dateOrder',
      { fields: { externalId: id }, dateOrder: 'MDY' },
      'only applies to time "local"',
    ],
    ['settings.mapping.phoneCountry', { fields: { externalId: id }, phoneCountry: 'usa' }, 'two-letter'],
    [
      'settings.mapping.tags.bad tag',
      { fields: { externalId: id }, tags: { 'bad tag': id } },
      'is not a tag name',
    ],
    [
      'settings.mapping.tags.buyerName',
      { fields: { externalId: id }, tags: { buyerName: id } },
      'is a field',
    ],
    ['settings.mapping.mapping', { fields: { externalId: id }, mapping: {} }, 'is not a mapping setting'],
    ['settings.mapping.eventIdIgnore', { fields: { externalId: id }, eventIdIgnore: 'sent_at' }, 'list'],
  ])('refuses a mapping, naming %s (case %#)', (field, mapping, message) => {
    const problems = mappingProblems({ mapping });
    expect(problems).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it('quotes a table value that is not a string as JSON, whatever it holds', () => {
    // fast-check found it: String() of {"toString": false} throws.
    const { problems } = compileMapping({ mapping: { eventTypes: { '!': { toString: false } } } });
    expect(problems).toContainEqual({
      field: 'settings.mapping.eventTypes.!',
      message: expect.stringMatching(/^\{"toString":false\} is not one of our /),
    });
  });

  it('never throws on any JSON, and every problem names a field under settings.mapping', () => {
    const keys = fc.constantFrom(
      'fields',
      'tags',
      'statuses',
      'eventTypes',
      'money',
      'time',
      'externalId',
      'from',
      'path',
      'name',
      'constant',
      '__proto__',
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(keys, fc.jsonValue(), { maxKeys: 6 }), (anything, shaped) => {
        for (const mapping of [anything, shaped, { fields: shaped }, { fields: { externalId: anything } }]) {
          const { mapping: compiled, problems } = compileMapping({ mapping });
          expect(compiled === undefined).toBe(problems.length > 0);
          for (const p of problems) expect(p.field.startsWith('settings.mapping')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
