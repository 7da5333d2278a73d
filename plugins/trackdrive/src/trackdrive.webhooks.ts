import {
  isFinalStatus,
  PayloadReader,
  payloadFingerprint,
  ProviderError,
  readString,
  withoutSecretKeys,
  type CallStatus,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import { TRACKDRIVE } from './trackdrive.constants.js';
import {
  mapCallRecord,
  pickString,
  readCallId,
  readConversion,
  readStatus,
  readUpdatedAt,
  unwrapCallPayload,
  type TrackDriveRecord,
} from './trackdrive.mapper.js';
import {
  isTrackDriveTrigger,
  TRACKDRIVE_TRIGGER_SPECS,
  TRACKDRIVE_TRIGGERS,
  triggerForSubscriptionEvent,
  type TrackDriveTrigger,
} from './trackdrive.triggers.js';

/** Query parameter carrying the connection's secret (the platform's token check reads it). */
export const TOKEN_QUERY_PARAM = 'token';
/** Query parameter naming our trigger, so the mapper knows which one fired. */
export const EVENT_QUERY_PARAM = 'event';

/**
 * The JSON body operators paste into a TrackDrive outgoing webhook. Only tokens TrackDrive
 * documents are used (TRACKDRIVE_DOCUMENTED_TOKENS); each key is the TrackDrive API field the token
 * fills, so one mapper reads API records, subscription payloads and these bodies. The documented
 * tokens say nothing about the campaign (offer), numbers, times or revenue: the API subscription
 * (registerWebhook), which posts the whole call, or the scheduled sync fills those.
 */
export const TRACKDRIVE_BODY_TOKENS: ReadonlyArray<readonly [string, string]> = [
  ['uuid', 'call_uuid'],
  ['caller_number', 'caller_id'],
  ['buyer', 'buyer_name'],
  ['total_duration', 'total_duration'],
  ['payout', 'payout'],
  ['geo_state', 'geo_state'],
];

/**
 * Tokens TrackDrive documents for outgoing webhooks and posts (shared/providers D6, D12, D13 [C]):
 * the system tokens named in the token overview, the buyer-post tokens and the TD-to-TD tokens.
 */
export const TRACKDRIVE_DOCUMENTED_TOKENS: readonly string[] = [
  'caller_id',
  'total_duration',
  'payout',
  'geo_state',
  'buyer_name',
  'trackdrive_call_uuid',
  'trackdrive_subdomain',
  'lead_token',
  'call_uuid',
];

export function webhookBodyTemplate(): string {
  const body: Record<string, string> = {};
  for (const [key, token] of TRACKDRIVE_BODY_TOKENS) body[key] = `[${token}]`;
  return JSON.stringify(body, null, 2);
}

/** The connection's endpoint with the secret and the trigger name as query parameters. */
export function webhookUrlFor(
  config: Pick<WebhookConfig, 'url' | 'secret'>,
  trigger: TrackDriveTrigger,
): string {
  const url = new URL(config.url);
  url.searchParams.set(TOKEN_QUERY_PARAM, config.secret);
  url.searchParams.set(EVENT_QUERY_PARAM, trigger);
  return url.toString();
}

/** Our triggers selected by a WebhookConfig (all when it names none); unknown names are refused. */
export function selectTriggers(requested: readonly string[] | undefined): TrackDriveTrigger[] {
  if (!requested || requested.length === 0) return [...TRACKDRIVE_TRIGGERS];
  const unknown = requested.filter((t) => !isTrackDriveTrigger(t));
  if (unknown.length > 0) {
    throw new ProviderError(
      TRACKDRIVE,
      'unsupported_trigger',
      false,
      `unknown trigger(s) ${unknown.join(', ')}; TrackDrive supports ${TRACKDRIVE_TRIGGERS.join(', ')}`,
    );
  }
  return TRACKDRIVE_TRIGGERS.filter((t) => requested.includes(t));
}

export function buildWebhookTemplates(config: WebhookConfig): WebhookTemplate[] {
  const body = webhookBodyTemplate();
  return selectTriggers(config.triggers).map((trigger) => {
    const spec = TRACKDRIVE_TRIGGER_SPECS[trigger];
    const fields = spec.subscription.trigger_fields
      ? ` with trigger_fields ${JSON.stringify(spec.subscription.trigger_fields)}`
      : '';
    return {
      trigger,
      providerTrigger: `${spec.webhookTrigger} (API subscription event: ${spec.subscription.event}${fields})`,
      method: 'POST',
      url: webhookUrlFor(config, trigger),
      headers: { 'Content-Type': 'application/json' },
      body,
      contentType: 'application/json',
      notes:
        `Fires when ${spec.description}. In TrackDrive: Company > Webhooks > New, attach it to the ` +
        `buyers or traffic sources whose calls you want, trigger "${spec.webhookTrigger}", method POST, ` +
        'paste the URL and the JSON body. Or let Switchboard register the API subscription for you ' +
        '(registerWebhook), which needs no body.',
    } satisfies WebhookTemplate;
  });
}

interface WebhookPayload {
  trigger: TrackDriveTrigger;
  /** The payload named no trigger (nor a subscription event): it was read from the call's state. */
  inferred: boolean;
  /** An `event` value that names nothing we know (kept for the warning). */
  unknownEvent?: string;
  /** Body fields over query fields; what the mapper reads. */
  record: TrackDriveRecord;
  /** What TrackDrive sent, untouched (the body, or the query when there is no body). */
  original: Record<string, unknown>;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Body as an object: parsed by the ingress, or parsed here from a string / the raw bytes. */
function bodyObject(request: InboundWebhook): unknown {
  const { body } = request;
  if (body !== undefined && body !== null && typeof body !== 'string') return body;
  const text =
    typeof body === 'string' ? body : request.rawBody?.length ? request.rawBody.toString('utf8') : '';
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (!text.includes('=')) return undefined;
    return Object.fromEntries(new URLSearchParams(text));
  }
}

export function readWebhookPayload(request: InboundWebhook): WebhookPayload {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query ?? {})) {
    const first = firstValue(value);
    if (key !== TOKEN_QUERY_PARAM && key !== EVENT_QUERY_PARAM && first !== undefined) query[key] = first;
  }
  const body = bodyObject(request);
  const inner = unwrapCallPayload(body);
  const record: TrackDriveRecord = { ...query, ...(inner ?? {}) };
  const original: Record<string, unknown> = Array.isArray(body)
    ? { items: body }
    : body && typeof body === 'object'
      ? (body as Record<string, unknown>)
      : query;
  return { ...readTrigger(request, body, record), record, original: withoutSecretKeys(original) };
}

/**
 * Which trigger fired: our `event` query parameter; else a TrackDrive subscription event named in
 * the payload; else inferred from the call's state (inferTrigger).
 */
function readTrigger(
  request: InboundWebhook,
  body: unknown,
  record: TrackDriveRecord,
): { trigger: TrackDriveTrigger; inferred: boolean; unknownEvent?: string } {
  const fromQuery = readString(firstValue(request.query?.[EVENT_QUERY_PARAM]));
  if (isTrackDriveTrigger(fromQuery)) return { trigger: fromQuery, inferred: false };
  const bodyEvent =
    body && typeof body === 'object' && !Array.isArray(body)
      ? readString((body as TrackDriveRecord).event)
      : undefined;
  const named = bodyEvent ?? readString(record.event);
  if (isTrackDriveTrigger(named)) return { trigger: named, inferred: false };
  const fromSubscription = triggerForSubscriptionEvent(named);
  if (fromSubscription) return { trigger: fromSubscription, inferred: false };
  return { trigger: inferTrigger(record), inferred: true, unknownEvent: fromQuery ?? named };
}

/**
 * The trigger of a payload that names none, from the call's state, most advanced first: a final
 * status or an end time -> completed; buyer_converted -> converted; an answer time, talk time or
 * a connected status -> answered; a recording URL -> recording; a live status -> incoming;
 * nothing to go on -> updated.
 */
export function inferTrigger(record: TrackDriveRecord): TrackDriveTrigger {
  const status = readStatus(record);
  if ((status && isFinalStatus(status)) || pickString(record, ['ended_at', 'end_time'])) return 'completed';
  if (readConversion(record.buyer_converted) === true) return 'converted';
  if (status === 'in_progress' || pickString(record, ['answered_at', 'connected_at'])) return 'answered';
  if (pickString(record, ['recording_url', 'recording.url'])) return 'recording';
  if (status === 'ringing') return 'incoming';
  return 'updated';
}

/**
 * TrackDrive computes the precise outcome from the call's log once it finalizes, so "Call Ended" can
 * still carry a live status. The call is over either way: talk time (or a connected status) means
 * completed, none means missed. The documented "Call Ended" tokens carry no status and no talk time
 * (only `total_duration`, which includes ringing, IVR and hold time), so a body built from them
 * leaves the status unset: guessing "completed" would count a missed call as answered. The API
 * subscription (which posts the whole call) or the sync brings the final status.
 */
function endedStatus(call: NormalizedCall): CallStatus | undefined {
  if (call.status && isFinalStatus(call.status)) return call.status;
  const talked = call.connectedDurationSeconds;
  if ((talked ?? 0) > 0 || call.status === 'in_progress') return 'completed';
  if (talked === 0) return 'missed';
  return undefined;
}

/**
 * Stable per (call, trigger); `updated` fires many times, so its id includes the change time. An
 * inferred trigger's id adds a hash of the payload: a redelivery is dropped, a different payload
 * that infers the same trigger is kept.
 */
function eventIdFor(callId: string | undefined, payload: WebhookPayload) {
  if (!callId) return undefined;
  const { trigger, record, inferred } = payload;
  if (inferred)
    return `${callId}:${trigger}:${payloadFingerprint(record, [TOKEN_QUERY_PARAM, EVENT_QUERY_PARAM])}`;
  if (trigger !== 'updated') return `${callId}:${trigger}`;
  const updatedAt = readUpdatedAt(record);
  return updatedAt ? `${callId}:updated:${updatedAt.toISOString()}` : undefined;
}

export function describeTrackDriveWebhook(request: InboundWebhook): WebhookDescription {
  const payload = readWebhookPayload(request);
  const eventId = eventIdFor(readCallId(payload.record), payload);
  const eventType = TRACKDRIVE_TRIGGER_SPECS[payload.trigger].eventType;
  return eventId === undefined ? { eventType } : { eventId, eventType };
}

export interface TrackDriveMappingOptions {
  /** IANA zone for zone-less dates (the connection's `settings.timeZone`); default UTC. */
  timeZone?: string;
}

export function mapTrackDriveWebhook(
  request: InboundWebhook,
  options: TrackDriveMappingOptions = {},
): NormalizedCallEvent {
  const payload = readWebhookPayload(request);
  const { trigger, record, original } = payload;
  const spec = TRACKDRIVE_TRIGGER_SPECS[trigger];
  const read = new PayloadReader({ timeZone: options.timeZone });
  if (payload.unknownEvent !== undefined) {
    read.warn(
      'type',
      `event "${payload.unknownEvent}" is not a TrackDrive trigger; inferred "${trigger}"`,
      payload.unknownEvent,
      'event',
    );
  }
  const call = mapCallRecord(record, read);
  call.providerData = original;
  call.status ??= spec.impliedStatus;
  if (trigger === 'completed') call.status = endedStatus(call);
  if (trigger === 'converted') call.converted ??= true;
  // The documented "Call Ended" tokens carry no end time: derive it from start + duration (the
  // provider's own clock); failing that, the trigger firing is the end (set below).
  if (trigger === 'completed' && !call.endedAt && call.startedAt && call.durationSeconds !== undefined) {
    call.endedAt = new Date(call.startedAt.getTime() + call.durationSeconds * 1000);
  }

  const updatedAt = readUpdatedAt(record);
  const providerTime =
    trigger === 'incoming'
      ? call.startedAt
      : trigger === 'answered'
        ? call.answeredAt
        : trigger === 'completed'
          ? call.endedAt
          : undefined;
  const occurredAt = providerTime ?? updatedAt ?? request.receivedAt;
  if (trigger === 'completed') call.endedAt ??= occurredAt;
  // "Call Ended" tokens carry the total duration but no start time: it started that long before.
  if (trigger === 'completed' && !call.startedAt && call.endedAt && call.durationSeconds !== undefined)
    call.startedAt = new Date(call.endedAt.getTime() - call.durationSeconds * 1000);
  // "Buyer Answered" is the answer: without an answer time in the payload, its time is it.
  if (trigger === 'answered') call.answeredAt ??= occurredAt;
  if (trigger === 'incoming') call.startedAt ??= occurredAt;
  if (call.status === undefined) delete call.status;
  const warnings = read.result();
  return {
    type: spec.eventType,
    occurredAt,
    eventId: eventIdFor(call.externalId, payload),
    call,
    ...(warnings ? { warnings } : {}),
  };
}
