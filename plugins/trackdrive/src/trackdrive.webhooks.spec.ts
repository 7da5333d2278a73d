import { MappingError, ProviderError, type InboundWebhook } from '@switchboard/plugin-sdk';
import { TRACKDRIVE_TRIGGERS } from './trackdrive.triggers.js';
import {
  buildWebhookTemplates,
  describeTrackDriveWebhook,
  mapTrackDriveWebhook,
  TRACKDRIVE_BODY_TOKENS,
  webhookBodyTemplate,
} from './trackdrive.webhooks.js';

const ENDPOINT = 'https://switchboard.example.com/webhooks/trackdrive/00000000-0000-4000-8000-000000000001';
const SECRET = 's3cr3t/with+chars';
const RECEIVED = new Date('2026-01-15T12:30:00Z');
const UUID = '5cc8897c-ad0f-44cb-8ea7-8f7736ae76f1';

function inbound(parts: Partial<InboundWebhook> & { body?: unknown }): InboundWebhook {
  const body = parts.body;
  const raw =
    parts.rawBody ??
    (body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    query: {},
    receivedAt: RECEIVED,
    ...parts,
    rawBody: raw,
    body,
  };
}

/** What TrackDrive sends for our body template once its tokens are replaced (all strings). */
function renderedBody(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    uuid: UUID,
    status: 'finished',
    caller_number: '17195550123',
    number_called: '18885550104',
    connected_to: '+13035550199',
    offer_id: '10001',
    offer_name: 'Auto Insurance',
    buyer: 'Acme Insurance Agency',
    created_at: '2026-01-15 12:00:00 +0000',
    total_duration: '330',
    agent_duration: '300',
    revenue: '42.5',
    payout: '18.0',
    provider_cost: '0.07',
    buyer_converted: 'true',
    offer_converted: 'true',
    recording_url: 'https://recordings.trackdrive.com/calls/x.mp3',
    hangup_cause: 'NORMAL_CLEARING',
    geo_state: 'CO',
    ...overrides,
  };
}

describe('webhook templates', () => {
  const templates = buildWebhookTemplates({ url: ENDPOINT, secret: SECRET });

  it('offers one POST template per trigger, in lifecycle order', () => {
    expect(templates.map((t) => t.trigger)).toEqual([...TRACKDRIVE_TRIGGERS]);
    for (const template of templates) {
      expect(template.method).toBe('POST');
      expect(template.contentType).toBe('application/json');
      expect(template.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(template.notes).toContain('Company > Webhooks');
    }
  });

  it('puts the secret in ?token= and the trigger in ?event=', () => {
    for (const template of templates) {
      const url = new URL(template.url);
      expect(`${url.origin}${url.pathname}`).toBe(ENDPOINT);
      expect(url.searchParams.get('token')).toBe(SECRET);
      expect(url.searchParams.get('event')).toBe(template.trigger);
    }
  });

  it('names the TrackDrive trigger and the API subscription event', () => {
    const byTrigger = Object.fromEntries(templates.map((t) => [t.trigger, t.providerTrigger]));
    expect(byTrigger).toEqual({
      incoming: 'New Call (API subscription event: new_call)',
      ringing: 'Buyer Dialled (API subscription event: call_ringing)',
      answered: 'Buyer Answered (API subscription event: call_forwarded)',
      completed: 'Call Ended (API subscription event: call_ended)',
      converted:
        'Buyer Converted (API subscription event: call_changed with trigger_fields {"buyer_converted":true})',
      payout:
        'Traffic Source Converted (API subscription event: call_changed with trigger_fields {"offer_converted":true})',
      recording:
        'Recording Updated (API subscription event: call_changed with trigger_fields {"has_recording":true})',
      updated: 'Disposition Changed (API subscription event: call_changed)',
    });
  });

  it('has a JSON body of TrackDrive [tokens] keyed by TrackDrive field names', () => {
    const body = JSON.parse(templates[0].body!) as Record<string, string>;
    expect(body).toMatchObject({
      uuid: '[call_uuid]',
      caller_number: '[caller_id]',
      total_duration: '[total_duration]',
      payout: '[payout]',
      buyer: '[buyer_name]',
      geo_state: '[geo_state]',
    });
    expect(Object.keys(body)).toHaveLength(TRACKDRIVE_BODY_TOKENS.length);
    for (const value of Object.values(body)) expect(value).toMatch(/^\[[a-z0-9_]+\]$/);
    expect(templates.every((t) => t.body === webhookBodyTemplate())).toBe(true);
  });

  it('keeps an existing query string on the endpoint', () => {
    const [template] = buildWebhookTemplates({
      url: `${ENDPOINT}?region=us`,
      secret: 'x',
      triggers: ['completed'],
    });
    expect(template.url).toBe(`${ENDPOINT}?region=us&token=x&event=completed`);
  });

  it('builds only the requested triggers and refuses unknown ones', () => {
    expect(
      buildWebhookTemplates({ url: ENDPOINT, secret: 'x', triggers: ['completed', 'incoming'] }).map(
        (t) => t.trigger,
      ),
    ).toEqual(['incoming', 'completed']);
    expect(() => buildWebhookTemplates({ url: ENDPOINT, secret: 'x', triggers: ['hangup'] })).toThrow(
      ProviderError,
    );
  });
});

describe('describeWebhook', () => {
  it.each([
    ['incoming', 'call.started'],
    ['ringing', 'call.started'],
    ['answered', 'call.answered'],
    ['completed', 'call.completed'],
    ['converted', 'call.converted'],
    ['payout', 'call.payout'],
    ['recording', 'call.recording'],
  ])('gives %s the event type %s and a stable id per (call, trigger)', (trigger, type) => {
    const request = inbound({ query: { event: trigger }, body: renderedBody() });
    expect(describeTrackDriveWebhook(request)).toEqual({ eventId: `${UUID}:${trigger}`, eventType: type });
    expect(describeTrackDriveWebhook(request)).toEqual(describeTrackDriveWebhook(request));
  });

  it('makes every "updated" delivery distinct by its updated_at', () => {
    const first = describeTrackDriveWebhook(
      inbound({
        query: { event: 'updated' },
        body: { uuid: UUID, updated_at: '2026-01-15T07:06:10.000-05:00' },
      }),
    );
    expect(first).toEqual({ eventId: `${UUID}:updated:2026-01-15T12:06:10.000Z`, eventType: 'call.updated' });
    const withoutTime = describeTrackDriveWebhook(
      inbound({ query: { event: 'updated' }, body: { uuid: UUID } }),
    );
    expect(withoutTime).toEqual({ eventType: 'call.updated' });
  });

  it('reads the TrackDrive subscription event named in the payload', () => {
    expect(
      describeTrackDriveWebhook(inbound({ body: { event: 'call_ended', call: { uuid: UUID } } })),
    ).toEqual({
      eventId: `${UUID}:completed`,
      eventType: 'call.completed',
    });
    expect(describeTrackDriveWebhook(inbound({ body: { event: 'new_call', uuid: UUID } })).eventType).toBe(
      'call.started',
    );
  });

  it('guesses from the status when nothing names the trigger', () => {
    expect(describeTrackDriveWebhook(inbound({ body: { uuid: UUID, status: 'no-answer' } })).eventType).toBe(
      'call.completed',
    );
    expect(describeTrackDriveWebhook(inbound({ body: { uuid: UUID, status: 'forwarded' } })).eventType).toBe(
      'call.answered',
    );
    expect(describeTrackDriveWebhook(inbound({ body: { uuid: UUID } })).eventType).toBe('call.updated');
  });

  it('has no event id when the payload has no call id, without throwing', () => {
    expect(
      describeTrackDriveWebhook(inbound({ query: { event: 'completed' }, body: { status: 'finished' } })),
    ).toEqual({
      eventType: 'call.completed',
    });
    expect(describeTrackDriveWebhook(inbound({ query: { event: 'completed' }, body: 'not json' }))).toEqual({
      eventType: 'call.completed',
    });
  });

  it('takes the first value of a repeated query key', () => {
    const request = inbound({ query: { event: ['payout', 'completed'], uuid: [UUID] } });
    expect(describeTrackDriveWebhook(request)).toEqual({
      eventId: `${UUID}:payout`,
      eventType: 'call.payout',
    });
  });
});

describe('mapWebhook', () => {
  it('maps a rendered "Call Ended" JSON body', () => {
    const body = renderedBody();
    const event = mapTrackDriveWebhook(inbound({ query: { event: 'completed' }, body }));
    expect(event).toEqual({
      type: 'call.completed',
      eventId: `${UUID}:completed`,
      // No ended_at token in the body: start + total duration.
      occurredAt: new Date('2026-01-15T12:05:30Z'),
      call: {
        externalId: UUID,
        status: 'completed',
        campaignExternalId: '10001',
        campaignName: 'Auto Insurance',
        trackingNumber: '+18885550104',
        callerNumber: '+17195550123',
        destinationNumber: '+13035550199',
        startedAt: new Date('2026-01-15T12:00:00Z'),
        endedAt: new Date('2026-01-15T12:05:30Z'),
        durationSeconds: 330,
        connectedDurationSeconds: 300,
        recordingUrl: 'https://recordings.trackdrive.com/calls/x.mp3',
        converted: true,
        revenue: '42.5000',
        payout: '18.0000',
        cost: '0.0700',
        tags: {
          buyer: 'Acme Insurance Agency',
          buyerName: 'Acme Insurance Agency',
          hangup_cause: 'NORMAL_CLEARING',
          caller_state: 'CO',
          offer_converted: 'true',
        },
        providerData: body,
      },
    });
  });

  it('uses the provider time of the trigger when the payload has it', () => {
    const record = {
      uuid: UUID,
      created_at: '2026-01-15T07:00:00.000-05:00',
      answered_at: '2026-01-15T07:00:40.000-05:00',
      ended_at: '2026-01-15T07:05:30.000-05:00',
      updated_at: '2026-01-15T07:06:10.000-05:00',
    };
    const at = (trigger: string) =>
      mapTrackDriveWebhook(inbound({ query: { event: trigger }, body: record })).occurredAt;
    expect(at('incoming')).toEqual(new Date('2026-01-15T12:00:00Z'));
    expect(at('answered')).toEqual(new Date('2026-01-15T12:00:40Z'));
    expect(at('completed')).toEqual(new Date('2026-01-15T12:05:30Z'));
    expect(at('converted')).toEqual(new Date('2026-01-15T12:06:10Z'));
    expect(at('ringing')).toEqual(new Date('2026-01-15T12:06:10Z'));
  });

  it('fills the status the trigger implies when the payload has none', () => {
    const map = (trigger: string, body: Record<string, string>) =>
      mapTrackDriveWebhook(inbound({ query: { event: trigger }, body })).call;
    expect(map('incoming', { uuid: UUID, status: '[status]' }).status).toBe('ringing');
    expect(map('ringing', { uuid: UUID }).status).toBe('ringing');
    expect(map('answered', { uuid: UUID }).status).toBe('in_progress');
    expect(map('completed', { uuid: UUID }).status).toBeUndefined();
    expect(map('completed', { uuid: UUID, status: 'voicemail-detected' }).status).toBe('missed');
    expect(map('incoming', { uuid: UUID, status: 'initiated' }).status).toBe('ringing');
  });

  it('gives "Call Ended" a final status even when TrackDrive still reports a live one', () => {
    const map = (body: Record<string, string>) =>
      mapTrackDriveWebhook(inbound({ query: { event: 'completed' }, body: { uuid: UUID, ...body } })).call
        .status;
    expect(map({ status: 'forwarded' })).toBe('completed');
    expect(map({ status: 'waiting', agent_duration: '0' })).toBe('missed');
    expect(map({ status: 'waiting', agent_duration: '45' })).toBe('completed');
    expect(map({ status: 'waiting' })).toBeUndefined();
    expect(map({ status: 'busy', agent_duration: '12' })).toBe('busy');
  });

  it('marks the call converted on the "converted" trigger', () => {
    const event = mapTrackDriveWebhook(
      inbound({ query: { event: 'converted' }, body: { uuid: UUID, revenue: '15' } }),
    );
    expect(event.call).toMatchObject({ converted: true, revenue: '15.0000' });
    expect(event.type).toBe('call.converted');
  });

  it('reads a form-encoded body', () => {
    const form = new URLSearchParams({ uuid: UUID, status: 'busy', caller_number: '7195550123' }).toString();
    const event = mapTrackDriveWebhook(
      inbound({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        query: { event: 'completed' },
        body: form,
      }),
    );
    expect(event.call).toMatchObject({ externalId: UUID, status: 'busy', callerNumber: '+17195550123' });
  });

  it('reads the raw body when the ingress did not parse it', () => {
    const event = mapTrackDriveWebhook({
      method: 'POST',
      headers: {},
      query: { event: 'completed' },
      rawBody: Buffer.from(JSON.stringify({ uuid: UUID, status: 'finished' })),
      body: undefined,
      receivedAt: RECEIVED,
    });
    expect(event.call).toMatchObject({ externalId: UUID, status: 'completed' });
  });

  it('reads a GET with everything in the query string', () => {
    const event = mapTrackDriveWebhook(
      inbound({
        method: 'GET',
        query: { event: 'answered', uuid: UUID, connected_to: '3035550199' },
        body: undefined,
      }),
    );
    expect(event).toMatchObject({ type: 'call.answered', eventId: `${UUID}:answered` });
    expect(event.call).toMatchObject({ status: 'in_progress', destinationNumber: '+13035550199' });
    expect(event.call.providerData).toEqual({ uuid: UUID, connected_to: '3035550199' });
  });

  it('reads a subscription delivery (the call object as JSON, bare, wrapped or in a list)', () => {
    const call = {
      uuid: UUID,
      status: 'finished',
      buyer_converted: 'Converted',
      revenue: '42.5',
      ended_at: '2026-01-15T07:05:30.000-05:00',
    };
    for (const body of [call, { call }, [call]]) {
      const event = mapTrackDriveWebhook(inbound({ query: { event: 'completed' }, body }));
      expect(event.call).toMatchObject({
        externalId: UUID,
        status: 'completed',
        converted: true,
        revenue: '42.5000',
      });
      expect(event.occurredAt).toEqual(new Date('2026-01-15T12:05:30Z'));
    }
  });

  it('takes the Call Ended webhook as the end of the call when the body has no end time', () => {
    const event = mapTrackDriveWebhook(
      inbound({ query: { event: 'completed' }, body: { uuid: UUID, status: 'finished' } }),
    );
    expect(event.call.endedAt).toEqual(event.occurredAt);
    const answered = mapTrackDriveWebhook(inbound({ query: { event: 'answered' }, body: { uuid: UUID } }));
    expect(answered.call.endedAt).toBeUndefined();
  });

  it('never reads the token or event query parameters into the call', () => {
    const event = mapTrackDriveWebhook(
      inbound({ query: { token: SECRET, event: 'completed' }, body: { uuid: UUID } }),
    );
    expect(JSON.stringify(event.call)).not.toContain(SECRET);
  });

  it('throws a MappingError naming the missing field', () => {
    const request = inbound({ query: { event: 'completed' }, body: renderedBody({ uuid: '[call_uuid]' }) });
    expect(() => mapTrackDriveWebhook(request)).toThrow(MappingError);
    expect(() => mapTrackDriveWebhook(request)).toThrow(/"uuid"/);
    expect(() => mapTrackDriveWebhook(inbound({ query: { event: 'completed' }, body: undefined }))).toThrow(
      MappingError,
    );
  });
});
