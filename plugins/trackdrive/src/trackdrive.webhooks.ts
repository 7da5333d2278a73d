import {
  isFinalStatus,
  ProviderError,
  readString,
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
  readCallId,
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
 * The JSON body operators paste into a TrackDrive outgoing webhook: our keys are TrackDrive's own
 * API field names, so one mapper reads API records, subscription payloads and these bodies.
 * Token names: `call_uuid`, `caller_id`, `total_duration`, `payout`, `revenue`, `provider_cost`,
 * `buyer_name`, `geo_state` are documented; the others follow TrackDrive's token categories but
 * their exact names are inferred. A token TrackDrive does not know is left blank or unreplaced,
 * and both read as "absent".
 */
export const TRACKDRIVE_BODY_TOKENS: ReadonlyArray<readonly [string, string]> = [
  ['uuid', 'call_uuid'],
  ['status', 'status'],
  ['caller_number', 'caller_id'],
  ['number_called', 'number_called'],
  ['connected_to', 'buyer_number'],
  ['offer_id', 'offer_id'],
  ['offer_name', 'offer_name'],
  ['buyer', 'buyer_name'],
  ['created_at', 'call_start_time_utc'],
  ['total_duration', 'total_duration'],
  ['agent_duration', 'agent_duration'],
  ['revenue', 'revenue'],
  ['payout', 'payout'],
  ['provider_cost', 'provider_cost'],
  ['buyer_converted', 'buyer_converted'],
  ['offer_converted', 'offer_converted'],
  ['recording_url', 'recording_url'],
  ['hangup_cause', 'hangup_cause'],
  ['geo_state', 'geo_state'],
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
  return { trigger: readTrigger(request, body, record), record, original };
}

/**
 * Which trigger fired: our `event` query parameter; else a TrackDrive subscription event named in
 * the payload; else a guess from the status (final -> completed, otherwise updated).
 */
function readTrigger(request: InboundWebhook, body: unknown, record: TrackDriveRecord): TrackDriveTrigger {
  const fromQuery = readString(firstValue(request.query?.[EVENT_QUERY_PARAM]));
  if (isTrackDriveTrigger(fromQuery)) return fromQuery;
  const bodyEvent =
    body && typeof body === 'object' && !Array.isArray(body)
      ? readString((body as TrackDriveRecord).event)
      : undefined;
  const named = bodyEvent ?? readString(record.event);
  if (isTrackDriveTrigger(named)) return named;
  const fromSubscription = triggerForSubscriptionEvent(named);
  if (fromSubscription) return fromSubscription;
  const status = readStatus(record);
  return status && isFinalStatus(status) ? 'completed' : 'updated';
}

/**
 * TrackDrive computes the precise outcome from the call's log once it finalizes, so "Call Ended" can
 * still carry a live status. The call is over either way: talk time (or a connected status) means
 * completed, none means missed; with nothing to go on the status stays unset until the sync or a
 * later change brings the final one.
 */
function endedStatus(call: NormalizedCall): CallStatus | undefined {
  if (call.status && isFinalStatus(call.status)) return call.status;
  const talked = call.connectedDurationSeconds;
  if ((talked ?? 0) > 0 || call.status === 'in_progress') return 'completed';
  if (talked === 0) return 'missed';
  return undefined;
}

/** Stable per (call, trigger); `updated` fires many times, so its id includes the change time. */
function eventIdFor(callId: string | undefined, trigger: TrackDriveTrigger, record: TrackDriveRecord) {
  if (!callId) return undefined;
  if (trigger !== 'updated') return `${callId}:${trigger}`;
  const updatedAt = readUpdatedAt(record);
  return updatedAt ? `${callId}:updated:${updatedAt.toISOString()}` : undefined;
}

export function describeTrackDriveWebhook(request: InboundWebhook): WebhookDescription {
  const { trigger, record } = readWebhookPayload(request);
  return {
    eventId: eventIdFor(readCallId(record), trigger, record),
    eventType: TRACKDRIVE_TRIGGER_SPECS[trigger].eventType,
  };
}

export function mapTrackDriveWebhook(request: InboundWebhook): NormalizedCallEvent {
  const { trigger, record, original } = readWebhookPayload(request);
  const spec = TRACKDRIVE_TRIGGER_SPECS[trigger];
  const call = mapCallRecord(record);
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
  return {
    type: spec.eventType,
    occurredAt,
    eventId: eventIdFor(call.externalId, trigger, record),
    call,
  };
}
