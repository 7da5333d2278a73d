import { CALL_EVENT_TYPES, MappingError, type InboundWebhook } from '@switchboard/plugin-sdk';
import {
  buildWebhookTemplates,
  describeRetreaverWebhook,
  mapRetreaverWebhook,
  RETREAVER_TRIGGERS,
  webhookParams,
} from './retreaver.webhooks.js';

const ENDPOINT = 'https://switchboard.example.com/webhooks/retreaver/00000000-0000-4000-8000-000000000001';
const RECEIVED = new Date('2026-03-01T12:00:00Z');
const UUID = 'f1abfb78-ab8a-4146-9946-8169fbcc6d6c';

/** A GET webhook as the ingress hands it over, built from a rendered URL. */
function getRequest(url: string, receivedAt = RECEIVED): InboundWebhook {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(url).searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return { method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0), body: undefined, receivedAt };
}

function postRequest(
  body: string,
  contentType: string,
  query: Record<string, string> = {},
  parsed?: unknown,
): InboundWebhook {
  return {
    method: 'POST',
    headers: { 'content-type': contentType },
    query,
    contentType,
    rawBody: Buffer.from(body),
    body: parsed,
    receivedAt: RECEIVED,
  };
}

/** Replaces Retreaver tokens in a template the way Retreaver does (URL-encoded values). */
function render(url: string, values: Record<string, string>): string {
  return url.replace(/\[([a-z_]+)\]/g, (token, name: string) =>
    name in values ? encodeURIComponent(values[name]) : token,
  );
}

const VALUES = {
  call_uuid: UUID,
  caller_id: '+12025550143',
  called_number: '+18885550100',
  campaign_id: 'c0ffee01',
  affiliate_id: 'pub-7',
  sub_id: 'sub 1',
  caller_state: 'NC',
  caller_zip: '28379',
  system_target_id: '27449',
  call_duration: '194',
  call_recording_url: 'https://example.com/recordings/f1abfb78.mp3?x=1&y=2',
};

function templateFor(trigger: string) {
  const template = buildWebhookTemplates({ url: ENDPOINT, secret: 's3cr3t/+=' }).find(
    (t) => t.trigger === trigger,
  );
  if (!template) throw new Error(`no template for ${trigger}`);
  return template;
}

describe('webhook templates', () => {
  it('has one GET template per Retreaver trigger, in lifecycle order', () => {
    const templates = buildWebhookTemplates({ url: ENDPOINT, secret: 'tok' });
    expect(templates.map((t) => [t.trigger, t.providerTrigger, t.method])).toEqual([
      ['incoming', 'Start', 'GET'],
      ['selected', 'Selected', 'GET'],
      ['answered', 'Answered', 'GET'],
      ['completed', 'End of call', 'GET'],
      ['converted', 'Converted', 'GET'],
    ]);
    for (const t of templates) {
      expect(t.body).toBeUndefined();
      expect(t.notes).toMatch(/Webhooks/);
    }
  });

  it('renders the exact end-of-call URL, tokens kept literal', () => {
    expect(templateFor('completed').url).toBe(
      `${ENDPOINT}?token=s3cr3t%2F%2B%3D&event=completed&uuid=[call_uuid]&caller=[caller_id]&number=[called_number]` +
        '&cid=[campaign_id]&afid=[affiliate_id]&sid=[sub_id]' +
        '&total_duration=[call_duration]&recording_url=[call_recording_url]',
    );
  });

  it('carries the secret in token= and the trigger in event= on every template', () => {
    for (const t of buildWebhookTemplates({ url: ENDPOINT, secret: 'a b&c' })) {
      const url = new URL(t.url);
      expect(url.searchParams.get('token')).toBe('a b&c');
      expect(url.searchParams.get('event')).toBe(t.trigger);
      expect(t.url).toContain('uuid=[call_uuid]');
    }
  });

  it('appends to an endpoint that already has a query string', () => {
    const [t] = buildWebhookTemplates({
      url: `${ENDPOINT}?mode=shadow`,
      secret: 'x',
      triggers: ['incoming'],
    });
    expect(t.url.startsWith(`${ENDPOINT}?mode=shadow&token=x&event=incoming&`)).toBe(true);
  });

  it('returns only the requested triggers', () => {
    const templates = buildWebhookTemplates({
      url: ENDPOINT,
      secret: 'x',
      triggers: ['completed', 'converted', 'nope'],
    });
    expect(templates.map((t) => t.trigger)).toEqual(['completed', 'converted']);
  });

  it('maps every trigger to a known event type', () => {
    for (const t of RETREAVER_TRIGGERS) expect(CALL_EVENT_TYPES).toContain(t.eventType);
  });
});

describe('describeWebhook', () => {
  it.each([
    ['incoming', 'call.started'],
    ['selected', 'call.updated'],
    ['answered', 'call.answered'],
    ['completed', 'call.completed'],
    ['converted', 'call.converted'],
  ])('%s -> %s with a stable (call, trigger) id', (trigger, eventType) => {
    const request = getRequest(render(templateFor(trigger).url, VALUES));
    expect(describeRetreaverWebhook(request)).toEqual({ eventType, eventId: `${UUID}:${trigger}` });
    // a redelivery gets the same id
    expect(describeRetreaverWebhook(getRequest(render(templateFor(trigger).url, VALUES)))).toEqual(
      describeRetreaverWebhook(request),
    );
  });

  it('accepts other names for the trigger', () => {
    for (const [event, trigger] of [
      ['start', 'incoming'],
      ['END', 'completed'],
      ['finished', 'completed'],
      ['convert', 'converted'],
      ['connected', 'answered'],
    ]) {
      expect(describeRetreaverWebhook(getRequest(`${ENDPOINT}?event=${event}&uuid=u1`)).eventId).toBe(
        `u1:${trigger}`,
      );
    }
  });

  it('gives no event id without a call id, and infers the trigger (payload-hashed id) without a known one', () => {
    expect(describeRetreaverWebhook(getRequest(`${ENDPOINT}?event=completed&uuid=[call_uuid]`))).toEqual({
      eventType: 'call.completed',
    });
    expect(describeRetreaverWebhook(getRequest(`${ENDPOINT}?uuid=u1`))).toEqual({
      eventType: 'call.started',
      eventId: expect.stringMatching(/^u1:incoming:[0-9a-f]{16}$/),
    });
    expect(
      describeRetreaverWebhook(getRequest(`${ENDPOINT}?uuid=u1&event=weird&end_time=2026-03-01T12:05:00Z`)),
    ).toEqual({
      eventType: 'call.completed',
      eventId: expect.stringMatching(/^u1:completed:[0-9a-f]{16}$/),
    });
  });

  it('reads the call id from a body too', () => {
    const request = postRequest('{"uuid":"u9"}', 'application/json', { event: 'answered' }, { uuid: 'u9' });
    expect(describeRetreaverWebhook(request).eventId).toBe('u9:answered');
  });
});

describe('mapWebhook', () => {
  const map = (trigger: string, values: Record<string, string> = VALUES) =>
    mapRetreaverWebhook(getRequest(render(templateFor(trigger).url, values)));

  it('maps Start to a ringing call.started with caller, number and campaign', () => {
    const event = map('incoming');
    expect(event.type).toBe('call.started');
    expect(event.eventId).toBe(`${UUID}:incoming`);
    expect(event.occurredAt).toEqual(RECEIVED);
    expect(event.call).toEqual({
      externalId: UUID,
      status: 'ringing',
      campaignExternalId: 'c0ffee01',
      trackingNumber: '+18885550100',
      callerNumber: '+12025550143',
      startedAt: RECEIVED,
      tags: { callerState: 'NC', callerZip: '28379', publisherId: 'pub-7', publisherSubId: 'sub 1' },
      providerData: {
        method: 'GET',
        query: {
          event: 'incoming',
          uuid: UUID,
          caller: '+12025550143',
          number: '+18885550100',
          cid: 'c0ffee01',
          afid: 'pub-7',
          sid: 'sub 1',
          caller_state: 'NC',
          caller_zip: '28379',
        },
      },
    });
  });

  it('maps Selected to a ringing call.updated', () => {
    const event = map('selected');
    expect(event.type).toBe('call.updated');
    expect(event.call.status).toBe('ringing');
  });

  it('maps answered to in_progress with an answer time', () => {
    const event = map('answered');
    expect(event.type).toBe('call.answered');
    expect(event.call.status).toBe('in_progress');
    expect(event.call.answeredAt).toEqual(RECEIVED);
  });

  it('maps end of call to completed with duration and recording URL', () => {
    const event = map('completed');
    expect(event.type).toBe('call.completed');
    expect(event.call.status).toBe('completed');
    expect(event.call.durationSeconds).toBe(194);
    expect(event.call.recordingUrl).toBe('https://example.com/recordings/f1abfb78.mp3?x=1&y=2');
    expect(event.call.endedAt).toEqual(RECEIVED);
    expect(event.call.tags).toEqual({ publisherId: 'pub-7', publisherSubId: 'sub 1' });
  });

  it('maps end of call to missed when the sender adds connected=false', () => {
    const request = getRequest(`${render(templateFor('completed').url, VALUES)}&connected=false`);
    expect(mapRetreaverWebhook(request).call.status).toBe('missed');
  });

  it('maps the convert trigger to a converted call', () => {
    const event = map('converted');
    expect(event.type).toBe('call.converted');
    expect(event.call.converted).toBe(true);
    expect(event.call.status).toBe('in_progress');
  });

  it('reads unreplaced tokens as absent', () => {
    const event = mapRetreaverWebhook(getRequest(render(templateFor('completed').url, { call_uuid: UUID })));
    expect(event.call).toEqual({
      externalId: UUID,
      status: 'completed',
      endedAt: RECEIVED,
      providerData: expect.any(Object),
    });
  });

  it('throws a MappingError naming uuid when [call_uuid] was not replaced or is missing', () => {
    for (const url of [templateFor('completed').url, `${ENDPOINT}?event=completed`]) {
      let thrown: unknown;
      try {
        mapRetreaverWebhook(getRequest(url));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MappingError);
      expect((thrown as MappingError).field).toBe('uuid');
    }
  });

  it('uses the provider time for the trigger when the payload has one', () => {
    const event = mapRetreaverWebhook(
      getRequest(`${ENDPOINT}?event=completed&uuid=u1&end_time=2026-03-01T11:59:30Z&connected=true`),
    );
    expect(event.occurredAt).toEqual(new Date('2026-03-01T11:59:30Z'));
    expect(event.call.endedAt).toEqual(new Date('2026-03-01T11:59:30Z'));
  });

  it('turns extra parameters (tag tokens an operator added) into tags', () => {
    const event = mapRetreaverWebhook(
      getRequest(`${ENDPOINT}?event=incoming&uuid=u1&utm_source=google&lead_id=[lead_id]`),
    );
    expect(event.call.tags).toEqual({ utm_source: 'google' });
  });

  it('keeps the token and a call_key out of the stored payload', () => {
    const event = mapRetreaverWebhook(
      getRequest(`${ENDPOINT}?token=s3cret&event=answered&uuid=u1&call_key=ck-123`),
    );
    const stored = JSON.stringify(event);
    expect(stored).not.toContain('s3cret');
    expect(stored).not.toContain('ck-123');
  });

  it('reads a form-encoded POST body', () => {
    const body = 'uuid=u2&caller=%2B12025550143&total_duration=60&connected=true';
    const event = mapRetreaverWebhook(
      postRequest(body, 'application/x-www-form-urlencoded', { event: 'completed', token: 't' }),
    );
    expect(event.eventId).toBe('u2:completed');
    expect(event.call.callerNumber).toBe('+12025550143');
    expect(event.call.durationSeconds).toBe(60);
    expect(event.call.status).toBe('completed');
  });

  it('reads a JSON body from the Webhook Configurator, nested like the API or flat', () => {
    const nested = { call: { uuid: 'u3', caller: '+12025550143', revenue: '12.5', connected: false } };
    const event = mapRetreaverWebhook(
      postRequest(JSON.stringify(nested), 'application/json', { event: 'completed' }, nested),
    );
    expect(event.call.externalId).toBe('u3');
    expect(event.call.revenue).toBe('12.5000');
    expect(event.call.status).toBe('missed');
    expect(event.call.providerData).toEqual({ method: 'POST', query: { event: 'completed' }, body: nested });

    const flat = mapRetreaverWebhook(postRequest('{"uuid":"u4","event":"answered"}', 'application/json'));
    expect(flat.type).toBe('call.answered');
    expect(flat.call.externalId).toBe('u4');
  });

  it('infers the trigger from the payload when no event names it', () => {
    const bare = mapRetreaverWebhook(getRequest(`${ENDPOINT}?uuid=u5`));
    expect(bare.type).toBe('call.started');
    expect(bare.call.status).toBe('ringing');
    const withStatus = mapRetreaverWebhook(getRequest(`${ENDPOINT}?uuid=u5&status=finished&connected=true`));
    expect(withStatus.type).toBe('call.completed');
    expect(withStatus.eventId).toMatch(/^u5:completed:[0-9a-f]{16}$/);
    expect(withStatus.call.status).toBe('completed');
    const unknown = mapRetreaverWebhook(getRequest(`${ENDPOINT}?uuid=u5&event=weird`));
    expect(unknown.warnings).toEqual([expect.objectContaining({ field: 'type', value: 'weird' })]);
  });

  it('takes the first value of a repeated query key and accepts call_uuid/caller_id spellings', () => {
    const request = getRequest(`${ENDPOINT}?event=incoming&call_uuid=u6&caller_id=2025550143&caller_id=x`);
    expect(webhookParams(request).caller_id).toBe('2025550143');
    const event = mapRetreaverWebhook(request);
    expect(event.call.externalId).toBe('u6');
    expect(event.call.callerNumber).toBe('+12025550143');
  });
});
