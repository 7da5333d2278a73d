import { MappingError, type InboundWebhook } from '@switchboard/plugin-sdk';
import { compileMapping } from './mapping-settings.js';
import { GenericWebhookMapper } from './webhook-mapper.js';

const RECEIVED = new Date('2026-05-01T12:00:00.000Z');

function mapperFor(mapping: Record<string, unknown>, timeZone?: string) {
  const compiled = compileMapping({ mapping });
  if (!compiled.mapping) throw new Error(JSON.stringify(compiled.problems));
  return new GenericWebhookMapper(compiled.mapping, timeZone);
}

function json(body: unknown, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const raw = JSON.stringify(body);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    query,
    contentType: 'application/json',
    rawBody: Buffer.from(raw),
    body,
    receivedAt: RECEIVED,
  } satisfies InboundWebhook;
}

function form(fields: Record<string, string>, query: Record<string, string> = {}): InboundWebhook {
  const raw = new URLSearchParams(fields).toString();
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    query,
    contentType: 'application/x-www-form-urlencoded',
    rawBody: Buffer.from(raw),
    body: { ...fields },
    receivedAt: RECEIVED,
  };
}

function get(query: Record<string, string | string[]>): InboundWebhook {
  return {
    method: 'GET',
    headers: {},
    query,
    rawBody: Buffer.alloc(0),
    body: undefined,
    receivedAt: RECEIVED,
  };
}

const body = (path: string) => ({ from: 'body', path });
const query = (name: string) => ({ from: 'query', name });

/** A sender that posts nested JSON, with money in cents and times in unix seconds. */
const NESTED = {
  fields: {
    externalId: body('$.call.id'),
    eventType: body('$.event'),
    status: body('$.call.state'),
    callerNumber: body('$.call.from'),
    trackingNumber: body('$.call.to'),
    destinationNumber: body('$.call.legs[0].number'),
    campaignExternalId: body('$.campaign.id'),
    campaignName: body('$.campaign.name'),
    startedAt: body('$.call.started'),
    answeredAt: body('$.call.answered'),
    endedAt: body('$.call.ended'),
    durationSeconds: body('$.call.duration'),
    connectedDurationSeconds: body('$.call.talk'),
    recordingUrl: body('$.call.recording'),
    converted: body('$.call.sale'),
    revenue: body('$.money.revenue'),
    payout: body('$.money.payout'),
    publisherName: body('$.source.name'),
    buyerName: body('$.call.legs[0].buyer'),
  },
  tags: { keyword: body('$.attribution.keyword') },
  statuses: { ANSWER: 'completed', NOANSWER: 'missed', RINGING: 'ringing', TALKING: 'in_progress' },
  eventTypes: { 'call-start': 'call.started', 'call-answer': 'call.answered', 'call-end': 'call.completed' },
  money: 'cents',
  time: 'unix-seconds',
};

const ended = {
  event: 'call-end',
  call: {
    id: 'C-100',
    state: 'ANSWER',
    from: '(719) 555-0123',
    to: '18005550199',
    legs: [{ number: '+1 303 555 0100', buyer: 'Acme Insurance' }],
    started: 1777636800,
    answered: 1777636810,
    ended: 1777636930,
    duration: 130,
    talk: 120,
    recording: 'https://rec.example.com/C-100.mp3',
    sale: 'yes',
  },
  campaign: { id: 'cmp-7', name: 'Auto' },
  money: { revenue: 4550, payout: '1200' },
  source: { name: 'Publisher One' },
  attribution: { keyword: 'car insurance' },
};

describe('generic webhook mapping', () => {
  it('maps a nested JSON body with every field, its tables and formats', () => {
    const event = mapperFor(NESTED).map(json(ended));
    expect(event).toMatchObject({
      type: 'call.completed',
      occurredAt: new Date('2026-05-01T12:02:10.000Z'),
      eventId: expect.stringMatching(/^C-100:call\.completed:[0-9a-f]{16}$/),
      call: {
        externalId: 'C-100',
        status: 'completed',
        callerNumber: '+17195550123',
        trackingNumber: '+18005550199',
        destinationNumber: '+13035550100',
        campaignExternalId: 'cmp-7',
        campaignName: 'Auto',
        startedAt: new Date('2026-05-01T12:00:00.000Z'),
        answeredAt: new Date('2026-05-01T12:00:10.000Z'),
        endedAt: new Date('2026-05-01T12:02:10.000Z'),
        durationSeconds: 130,
        connectedDurationSeconds: 120,
        recordingUrl: 'https://rec.example.com/C-100.mp3',
        converted: true,
        revenue: '45.5000',
        payout: '12.0000',
        tags: { publisherName: 'Publisher One', buyerName: 'Acme Insurance', keyword: 'car insurance' },
        providerData: ended,
      },
    });
    expect(event.warnings).toBeUndefined();
  });

  it('reads form fields, query parameters, headers and constants, first present source winning', () => {
    const mapper = mapperFor({
      fields: {
        externalId: [{ from: 'form', name: 'call.id' }, query('cid')],
        callerNumber: [query('caller'), { from: 'form', name: 'caller' }],
        eventId: { from: 'header', name: 'X-Delivery' },
        campaignName: [query('campaign'), { constant: 'Organic' }],
        revenue: { from: 'form', name: 'amount' },
      },
      money: 'decimal-comma',
    });
    const fromForm = mapper.map(form({ 'call.id': 'F-1', caller: '7195550123', amount: '12,50' }));
    expect(fromForm.call).toMatchObject({
      externalId: 'F-1',
      callerNumber: '+17195550123',
      campaignName: 'Organic',
      revenue: '12.5000',
    });
    const fromQuery = mapper.map({
      ...get({ cid: 'Q-1', caller: ['3035550100', '3035550101'], campaign: 'Spring' }),
      headers: { 'x-delivery': 'dlv-9' },
    });
    expect(fromQuery.call).toMatchObject({
      externalId: 'Q-1',
      callerNumber: '+13035550100',
      campaignName: 'Spring',
    });
    expect(fromQuery.eventId).toBe('dlv-9');
    expect(fromQuery.call.providerData).toEqual({
      cid: 'Q-1',
      caller: ['3035550100', '3035550101'],
      campaign: 'Spring',
    });
  });

  it('reads a JSON body that arrived as text', () => {
    const mapper = mapperFor({ fields: { externalId: body('$.id') } });
    const request = {
      ...json({}),
      body: undefined,
      rawBody: Buffer.from('{"id":"T-1"}'),
      contentType: 'text/plain',
    };
    expect(mapper.map(request).call.externalId).toBe('T-1');
  });

  it('refuses a payload without a call id with a MappingError naming the field and where it looked', () => {
    const mapper = mapperFor({ fields: { externalId: [body('$.call.id'), query('cid')] } });
    expect(() => mapper.map(json({ call: {} }))).toThrow(MappingError);
    expect(() => mapper.map(json({ call: { id: '' } }))).toThrow('no call id at $.call.id, query:cid');
    expect(() => mapper.map(json({ call: { id: { nested: 1 } } }))).toThrow('$.call.id is not text');
    try {
      mapper.map(json({}));
    } catch (error) {
      expect(error).toMatchObject({ field: 'externalId', code: 'mapping_failed', retryable: false });
    }
  });

  it('keeps what is valid and warns about each value it cannot use', () => {
    const event = mapperFor(NESTED).map(
      json({
        event: 'call-transfer',
        call: {
          id: 'C-200',
          state: 'ON_HOLD',
          from: 'anonymous',
          started: '2026-05-01',
          duration: -5,
          recording: 'javascript:alert(1)',
          sale: 'maybe',
        },
        campaign: { id: { x: 1 } },
        money: { revenue: '45.50', payout: 300 },
      }),
    );
    expect(event.call).toMatchObject({ externalId: 'C-200', payout: '3.0000' });
    expect(event.call).not.toHaveProperty('revenue');
    expect(event.call).not.toHaveProperty('callerNumber');
    expect(event.warnings?.map((w) => w.field).sort()).toEqual(
      [
        'callerNumber',
        'campaignExternalId',
        'converted',
        'durationSeconds',
        'eventType',
        'recordingUrl',
        'revenue',
        'startedAt',
        'status',
      ].sort(),
    );
    expect(event.warnings).toContainEqual({
      field: 'revenue',
      source: '$.money.revenue',
      reason: '$.money.revenue is not a whole number of cents',
      value: '45.50',
    });
    expect(event.warnings).toContainEqual(
      expect.objectContaining({ field: 'status', source: '$.call.state', value: 'ON_HOLD' }),
    );
  });

  describe('status table and event types', () => {
    const mapper = mapperFor({
      fields: { externalId: query('id'), status: query('s'), eventType: query('e') },
      statuses: { 'No Answer': 'missed' },
      eventTypes: { hangup: 'call.completed' },
    });
    const map = (q: Record<string, string>) => mapper.map(get({ id: 'S-1', ...q }));

    it('translates sender values without case or surrounding spaces; our own names pass as they are', () => {
      expect(map({ s: ' no answer ', e: 'HANGUP' })).toMatchObject({
        type: 'call.completed',
        call: { status: 'missed' },
      });
      expect(map({ s: 'Busy', e: 'call.completed' })).toMatchObject({
        type: 'call.completed',
        call: { status: 'busy' },
      });
    });

    it('infers the event from what the payload says when it names none (or one the table lacks)', () => {
      expect(map({ s: 'ringing' }).type).toBe('call.started');
      expect(map({ s: 'in_progress' }).type).toBe('call.answered');
      expect(map({ s: 'missed' }).type).toBe('call.completed');
      expect(map({}).type).toBe('call.updated');
      const unknown = map({ e: 'transfer', s: 'in_progress' });
      expect(unknown.type).toBe('call.answered');
      expect(unknown.warnings).toEqual([
        expect.objectContaining({ field: 'eventType', source: 'query:e', value: 'transfer' }),
      ]);
    });
  });

  it('infers events from the values present, most advanced first', () => {
    const mapper = mapperFor({
      fields: {
        externalId: query('id'),
        startedAt: query('start'),
        answeredAt: query('answer'),
        endedAt: query('end'),
        converted: query('sale'),
        recordingUrl: query('rec'),
        payout: query('payout'),
        connectedDurationSeconds: query('talk'),
      },
      time: 'unix-milliseconds',
    });
    const type = (q: Record<string, string>) => mapper.map(get({ id: 'I-1', ...q })).type;
    expect(type({ start: '1777636800000' })).toBe('call.started');
    expect(type({ start: '1777636800000', answer: '1777636810000' })).toBe('call.answered');
    expect(type({ start: '1777636800000', rec: 'https://r.example.com/1' })).toBe('call.recording');
    expect(type({ payout: '12.5' })).toBe('call.payout');
    expect(type({ sale: 'true', answer: '1777636810000' })).toBe('call.converted');
    expect(type({ sale: 'false', answer: '1777636810000' })).toBe('call.answered');
    expect(type({ end: '1777636930000', sale: 'true' })).toBe('call.completed');
  });

  it('fills what the event implies: times from its arrival, a status from the talk time', () => {
    const mapper = mapperFor({
      fields: {
        externalId: query('id'),
        eventType: query('e'),
        startedAt: query('start'),
        durationSeconds: query('d'),
        connectedDurationSeconds: query('talk'),
      },
      time: 'unix-seconds',
    });
    const map = (q: Record<string, string>) => mapper.map(get({ id: 'X-1', ...q }));
    expect(map({ e: 'call.started' })).toMatchObject({
      occurredAt: RECEIVED,
      call: { status: 'ringing', startedAt: RECEIVED },
    });
    expect(map({ e: 'call.answered' })).toMatchObject({
      call: { status: 'in_progress', answeredAt: RECEIVED },
    });
    expect(map({ e: 'call.completed', start: '1777636800', d: '90', talk: '75' })).toMatchObject({
      occurredAt: new Date('2026-05-01T12:01:30.000Z'),
      call: { status: 'completed', endedAt: new Date('2026-05-01T12:01:30.000Z') },
    });
    expect(map({ e: 'call.completed', talk: '0' }).call).toMatchObject({
      status: 'missed',
      endedAt: RECEIVED,
    });
    // Without talk time the outcome is unknown: no status is guessed.
    expect(map({ e: 'call.completed' }).call).not.toHaveProperty('status');
    expect(map({ e: 'call.converted' }).call.converted).toBe(true);
  });

  it('takes occurredAt from its own source when mapped', () => {
    const mapper = mapperFor(
      {
        fields: { externalId: query('id'), occurredAt: query('at') },
        time: 'local',
        dateOrder: 'MDY',
      },
      'America/Chicago',
    );
    expect(mapper.map(get({ id: 'O-1', at: '05/01/2026 07:00:00 AM' })).occurredAt).toEqual(
      new Date('2026-05-01T12:00:00.000Z'),
    );
  });

  describe('event ids', () => {
    const mapper = mapperFor({
      fields: { externalId: body('$.id'), startedAt: body('$.start') },
      eventIdIgnore: ['sent_at'],
    });

    it('hash the payload: a redelivery gets the same id, another payload another, secrets and ignored keys aside', () => {
      const first = mapper.map(
        json({ id: 'E-1', start: '2026-05-01T12:00:00Z', sent_at: 1 }, { token: 'a' }),
      );
      const again = mapper.map(
        json({ start: '2026-05-01T12:00:00Z', id: 'E-1', sent_at: 2 }, { token: 'b' }),
      );
      const other = mapper.map(json({ id: 'E-1', start: '2026-05-01T12:00:05Z' }));
      expect(first.eventId).toBe(again.eventId);
      expect(other.eventId).not.toBe(first.eventId);
      expect(first.eventId).toMatch(/^E-1:call\.started:/);
    });

    it('describeWebhook gives the same id and type without mapping the call', () => {
      for (const request of [json({ id: 'E-2' }), json({ id: 'E-3', start: 'garbage' }), get({})]) {
        const description = mapper.describe(request);
        if (request.method === 'GET') {
          expect(description).toEqual({ eventType: 'call.updated' });
          continue;
        }
        const event = mapper.map(request);
        expect(description).toEqual({ eventId: event.eventId, eventType: event.type });
      }
    });
  });

  it('never puts secret body keys into providerData', () => {
    const event = mapperFor({ fields: { externalId: body('$.id') } }).map(
      json({ id: 'P-1', api_key: 'k', x: 1 }),
    );
    expect(event.call.providerData).toEqual({ id: 'P-1', x: 1 });
  });

  it('reads zone-less ISO times in the connection time zone, and warns about an unknown zone', () => {
    const mapping = { fields: { externalId: body('$.id'), startedAt: body('$.start') } };
    const request = json({ id: 'Z-1', start: '2026-05-01 08:00:00' });
    expect(mapperFor(mapping, 'America/New_York').map(request).call.startedAt).toEqual(
      new Date('2026-05-01T12:00:00.000Z'),
    );
    const unknownZone = mapperFor(mapping, 'Mars/Base').map(request);
    expect(unknownZone.call.startedAt).toEqual(new Date('2026-05-01T08:00:00.000Z'));
    expect(unknownZone.warnings?.map((w) => w.field)).toEqual(['timeZone']);
  });
});
