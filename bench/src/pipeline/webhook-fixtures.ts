import { randomUUID } from 'node:crypto';
import type { CallTrackingProvider, InboundWebhook, WebhookTemplate } from '@switchboard/core';
import { parseWebhookBody, queryToObject } from '@switchboard/core';
import type { InboxRow } from '@switchboard/persistence';

/**
 * Real webhook payloads for tests and the benchmark: each plugin's own webhook templates (what an
 * operator pastes into Ringba / Retreaver / TrackDrive), with the provider's tokens replaced by the
 * values the provider would send. Nothing here knows a plugin's payload format beyond its tokens.
 */

/** Our trigger names per provider, in the order they fire for a call that connects and converts. */
export const CALL_LIFECYCLES: Readonly<Record<string, readonly string[]>> = {
  ringba: ['incoming', 'connected', 'converted', 'payout', 'completed', 'recording'],
  retreaver: ['incoming', 'selected', 'answered', 'converted', 'completed'],
  trackdrive: ['incoming', 'ringing', 'answered', 'converted', 'completed', 'recording'],
};

/** A rendered webhook, as the ingress would store it (the token query parameter already removed). */
export interface RenderedWebhook {
  provider: string;
  trigger: string;
  method: string;
  /** Query parameters without the secret. */
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  contentType: string | null;
  rawBody: Buffer;
  receivedAt: Date;
}

export interface CallSpec {
  provider: string;
  /** Index of the call within its connection; values derive from it deterministically. */
  index: number;
  /** Provider's call id. */
  externalId: string;
  startedAt: Date;
}

/** The token values of one call at one trigger (what the provider would substitute). */
export function tokenValues(call: CallSpec, trigger: string, at: Date): Record<string, string> {
  const n = call.index;
  const digits = (base: number) => String(base + (n % 1_000_000)).padStart(7, '0');
  const caller = `1555${digits(1_000_000)}`;
  const tracking = `1800${digits(2_000_000)}`;
  const target = `1888${digits(3_000_000)}`;
  // A later event carries an adjusted revenue, so "the newest value wins" is visible in the data.
  const adjusted = ['payout', 'completed', 'recording'].includes(trigger) ? 1 : 0;
  const revenue = `${10 + (n % 40) + adjusted}.${String(n % 100).padStart(2, '0')}`;
  const payout = `${2 + (n % 9)}.${String((n * 7) % 100).padStart(2, '0')}`;
  const duration = String(30 + (n % 600));
  const campaign = `CA${String(n % 25).padStart(4, '0')}`;
  const converted = ['converted', 'payout', 'completed', 'recording'].includes(trigger);
  const ended = ['completed', 'recording'].includes(trigger);
  const tdStatus: Record<string, string> = {
    incoming: 'initiated',
    ringing: 'calling-leads',
    answered: 'established',
    converted: 'established',
    completed: 'finished',
    recording: 'finished',
  };
  return {
    // Ringba (tokens of its pixels)
    'Call:InboundCallId': call.externalId,
    'tag:InboundNumber:Number-NoPlus': caller,
    'tag:DialedNumber:Number': `+${tracking}`,
    'tag:Campaign:Id': campaign,
    'tag:Campaign:Name': `Campaign ${campaign}`,
    'tag:Publisher:Id': `AF${n % 10}`,
    'tag:Publisher:Name': `Publisher ${n % 10}`,
    'tag:Publisher:SubId': `sub${n % 3}`,
    'tag:CallInfo:IsDuplicate': 'false',
    'tag:InboundNumber:State': ['CA', 'TX', 'NY', 'FL'][n % 4],
    'tag:Geo:ZipCode': String(10_000 + (n % 89_999)),
    'tag:Target:Id': `TA${n % 7}`,
    'tag:Target:Name': `Buyer ${n % 7}`,
    'tag:Target:Number': `+${target}`,
    'tag:Buyer:Name': `Buyer ${n % 7}`,
    'Call:ConversionAmount': converted ? revenue : '',
    'Call:ConversionPayout': trigger === 'payout' || ended ? payout : '',
    'tag:CallLength:Total': ended ? duration : '',
    'tag:EndCall:EndCallSource': ended ? 'Caller' : '',
    'tag:Recording:RecordingUrl':
      trigger === 'recording' ? `https://recordings.example.com/${call.externalId}.mp3` : '',
    // Retreaver
    call_uuid: call.externalId,
    caller_id: `+${caller}`,
    called_number: `+${tracking}`,
    campaign_id: campaign,
    affiliate_id: `AF${n % 10}`,
    sub_id: `sub${n % 3}`,
    caller_state: ['CA', 'TX', 'NY', 'FL'][n % 4],
    caller_zip: String(10_000 + (n % 89_999)),
    system_target_id: `T${n % 7}`,
    call_duration: ended || trigger === 'converted' ? duration : '',
    call_recording_url: ended ? `https://recordings.example.com/${call.externalId}.mp3` : '',
    // TrackDrive
    status: tdStatus[trigger] ?? 'established',
    number_called: `+${tracking}`,
    buyer_number: trigger === 'incoming' || trigger === 'ringing' ? '' : `+${target}`,
    offer_id: campaign,
    offer_name: `Offer ${campaign}`,
    buyer_name: `Buyer ${n % 7}`,
    call_start_time_utc: call.startedAt.toISOString(),
    total_duration: ended ? duration : '',
    agent_duration: ended ? String(Number(duration) - 5) : '',
    revenue: converted ? revenue : '',
    payout: converted ? payout : '',
    provider_cost: ended ? '0.12' : '',
    buyer_converted: converted ? 'true' : '',
    offer_converted: converted ? 'true' : '',
    recording_url: trigger === 'recording' ? `https://recordings.example.com/${call.externalId}.mp3` : '',
    hangup_cause: ended ? 'normal_clearing' : '',
    geo_state: ['CA', 'TX', 'NY', 'FL'][n % 4],
    // at what time the provider fires (not a token of any template; kept for reference)
    _at: at.toISOString(),
  };
}

/** Replaces `[token]` in a template: URL-encoded in the URL, JSON-escaped in the body. */
export function renderTemplate(
  provider: string,
  template: WebhookTemplate,
  values: Record<string, string>,
  receivedAt: Date,
): RenderedWebhook {
  const replace = (text: string, encode: (v: string) => string) =>
    text.replace(/\[([^\]]+)\]/g, (_, token: string) => encode(values[token] ?? ''));
  const url = new URL(replace(template.url, encodeURIComponent));
  url.searchParams.delete('token');
  const body = template.body ? replace(template.body, (v) => JSON.stringify(v).slice(1, -1)) : '';
  const headers: Record<string, string> = { 'user-agent': `${provider}-webhooks/1.0` };
  for (const [k, v] of Object.entries(template.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    provider,
    trigger: template.trigger,
    method: template.method,
    query: queryToObject(url.searchParams),
    headers,
    contentType: template.contentType ?? (body ? 'application/json' : null),
    rawBody: Buffer.from(body),
    receivedAt,
  };
}

/** The InboundWebhook a plugin maps, built the way the worker rebuilds it from the inbox row. */
export function toInbound(webhook: RenderedWebhook): InboundWebhook {
  return {
    method: webhook.method,
    headers: webhook.headers,
    query: webhook.query,
    contentType: webhook.contentType ?? undefined,
    rawBody: webhook.rawBody,
    body: parseWebhookBody(webhook.rawBody, webhook.contentType ?? undefined),
    receivedAt: webhook.receivedAt,
  };
}

/**
 * The webhooks of one call's lifecycle, `stepMs` apart, each rendered from the plugin's template
 * for its trigger.
 */
export function callWebhooks(
  adapter: CallTrackingProvider,
  templates: readonly WebhookTemplate[],
  call: CallSpec,
  stepMs = 7_000,
): RenderedWebhook[] {
  const byTrigger = new Map(templates.map((t) => [t.trigger, t]));
  return (CALL_LIFECYCLES[call.provider] ?? []).map((trigger, step) => {
    const template = byTrigger.get(trigger);
    if (!template) throw new Error(`${call.provider} has no webhook template for trigger "${trigger}"`);
    const at = new Date(call.startedAt.getTime() + step * stepMs + (call.index % 5));
    return renderTemplate(call.provider, template, tokenValues(call, trigger, at), at);
  });
}

export function newCallSpec(provider: string, index: number, startedAt: Date): CallSpec {
  const externalId =
    provider === 'ringba' ? `RGB${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}` : randomUUID();
  return { provider, index, externalId, startedAt };
}

/** Deterministic pseudo-random numbers (mulberry32), so runs can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The inbox row the ingress writes for an accepted delivery of `webhook` (status queued, verified),
 * described by the connection's plugin. No dedup key: callers deliver repeats as separate rows on purpose.
 */
export function acceptedInboxRow(
  connection: { id: string; provider: string; adapter: CallTrackingProvider },
  webhook: RenderedWebhook,
  sourceIp: string,
): InboxRow {
  const description = connection.adapter.describeWebhook(toInbound(webhook));
  return {
    id: randomUUID(),
    connectionId: connection.id,
    provider: connection.provider,
    eventType: description.eventType ?? null,
    eventId: description.eventId ?? null,
    dedupKey: null,
    method: webhook.method,
    contentType: webhook.contentType,
    query: webhook.query,
    headers: webhook.headers,
    rawBody: webhook.rawBody,
    sourceIp,
    verification: 'verified',
    status: 'queued',
    httpStatus: 202,
    error: null,
    receivedAt: webhook.receivedAt,
  };
}
