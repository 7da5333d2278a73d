import type { InboundWebhook } from '@switchboard/plugin-sdk';
import { readCallId } from './trackdrive.mapper.js';
import {
  TRACKDRIVE_BODY_TOKENS,
  TRACKDRIVE_DOCUMENTED_TOKENS,
  buildWebhookTemplates,
  describeTrackDriveWebhook,
  mapTrackDriveWebhook,
} from './trackdrive.webhooks.js';

const RECEIVED = new Date('2026-01-15T12:10:00Z');

function inbound(
  query: Record<string, string>,
  body?: unknown,
  contentType = 'application/json',
): InboundWebhook {
  return {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': contentType },
    query,
    contentType,
    rawBody: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    body,
    receivedAt: RECEIVED,
  };
}

describe('TrackDrive webhooks: answered, parties, inference, secrets, warnings', () => {
  it('"Buyer Answered" sets answeredAt (the trigger time when the payload has none)', () => {
    const event = mapTrackDriveWebhook(
      inbound({ event: 'answered' }, { uuid: 'td-1', caller_id: '17195550123' }),
    );
    expect(event.type).toBe('call.answered');
    expect(event.call.answeredAt).toEqual(RECEIVED);
    expect(event.call.status).toBe('in_progress');
    const timed = mapTrackDriveWebhook(
      inbound({ event: 'answered' }, { uuid: 'td-1', answered_at: '2026-01-15 12:00:12 +0000' }),
    );
    expect(timed.call.answeredAt).toEqual(new Date('2026-01-15T12:00:12Z'));
    expect(timed.occurredAt).toEqual(new Date('2026-01-15T12:00:12Z'));
  });

  it('normalizes traffic source and buyer into the publisher/buyer tags Ringba and Retreaver use', () => {
    const event = mapTrackDriveWebhook(
      inbound(
        { event: 'completed' },
        {
          uuid: 'td-2',
          traffic_source_id: 30001,
          traffic_source: 'Publisher North',
          sub_id: 'sub-3',
          buyer_id: 40001,
          buyer: 'Acme',
        },
      ),
    );
    expect(event.call.tags).toMatchObject({
      publisherId: '30001',
      publisherName: 'Publisher North',
      publisherSubId: 'sub-3',
      buyerId: '40001',
      buyerName: 'Acme',
    });
  });

  it('infers the trigger from a subscription-style call object without an event, with a stable id', () => {
    const call = {
      uuid: 'td-3',
      status: 'finished',
      created_at: '2026-01-15 12:00:00 +0000',
      ended_at: '2026-01-15 12:05:30 +0000',
      answered_duration: 300,
    };
    const event = mapTrackDriveWebhook(inbound({}, { call }));
    expect(event.type).toBe('call.completed');
    expect(event.eventId).toMatch(/^td-3:completed:[0-9a-f]{16}$/);
    expect(event.call.answeredAt).toEqual(new Date('2026-01-15T12:00:30Z'));
    expect(mapTrackDriveWebhook(inbound({}, { call })).eventId).toBe(event.eventId);
    expect(describeTrackDriveWebhook(inbound({}, { call }))).toEqual({
      eventId: event.eventId,
      eventType: 'call.completed',
    });
  });

  it('never stores secret body keys', () => {
    const event = mapTrackDriveWebhook(
      inbound(
        { event: 'incoming' },
        {
          uuid: 'td-4',
          auth_token: 'at-1',
          private_key: 'pk-2',
          token_values: { api_key: 'ak-3', loan: '5000' },
        },
      ),
    );
    const stored = JSON.stringify([event.call.tags, event.call.providerData]);
    expect(stored).not.toMatch(/at-1|pk-2|ak-3/);
    expect(event.call.tags).toMatchObject({ loan: '5000' });
  });

  it('keeps valid values and warns about unusable ones; zone-less dates use the connection zone', () => {
    const event = mapTrackDriveWebhook(
      inbound(
        { event: 'completed' },
        {
          uuid: 'td-5',
          status: 'teleported',
          created_at: '2026-01-15 07:00:00',
          total_duration: '-1',
          revenue: '1e21',
          payout: true,
          recording_url: 'ftp://x/y',
        },
      ),
      { timeZone: 'America/New_York' },
    );
    expect(event.call.startedAt).toEqual(new Date('2026-01-15T12:00:00Z'));
    expect(event.warnings?.map((w) => w.field).sort()).toEqual(
      ['durationSeconds', 'payout', 'recordingUrl', 'revenue', 'status'].sort(),
    );
  });

  it('templates use documented tokens only, and the mapper reads every key they send', () => {
    for (const t of buildWebhookTemplates({ url: 'https://sb.example.com/w', secret: 's' })) {
      const body = JSON.parse(t.body ?? '{}') as Record<string, string>;
      for (const [key, token] of Object.entries(body)) {
        expect(TRACKDRIVE_DOCUMENTED_TOKENS).toContain(token.slice(1, -1));
        // Each key lands in a normalized field or tag: map a body carrying only that key.
        const event = mapTrackDriveWebhook(inbound({ event: 'completed' }, { uuid: 'td-6', [key]: '12' }));
        const stored = JSON.stringify({ ...event.call, providerData: undefined });
        expect(stored).toMatch(/12/);
      }
    }
    expect(readCallId({ call_uuid: 'x' })).toBe('x');
    expect(TRACKDRIVE_BODY_TOKENS.length).toBeGreaterThan(0);
  });

  it('refuses a cost whose two parts add up beyond the column, with a warning', () => {
    const event = mapTrackDriveWebhook(
      inbound(
        { event: 'completed' },
        { uuid: 'td-7', trackdrive_cost: '9999999999', provider_cost: '9999999999' },
      ),
    );
    expect(event.call.cost).toBeUndefined();
    expect(event.warnings).toEqual([expect.objectContaining({ field: 'cost' })]);
  });
});
