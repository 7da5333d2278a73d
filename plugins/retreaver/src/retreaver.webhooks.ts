import {
  MappingError,
  readBoolean,
  readDate,
  readString,
  type CallEventType,
  type CallStatus,
  type InboundWebhook,
  type NormalizedCallEvent,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import { PROVIDER } from './retreaver.constants.js';
import {
  compact,
  isRecord,
  mapCallRecord,
  SECRET_RECORD_KEYS,
  type RetreaverRecord,
} from './retreaver.mapper.js';
import { deriveStatus } from './retreaver.status.js';

/**
 * Retreaver's real-time channel is the campaign Webhook: a URL (GET, or POST) with replacement
 * tokens in square brackets that Retreaver fills in when the webhook's trigger fires. Any tag key
 * is a token (`[caller_state]`), plus `[call_uuid]`, `[call_key]` and the legacy timer tokens
 * (`[caller_id]`, `[called_number]`, `[call_duration]`, `[call_recording_url]`, `[campaign_id]`,
 * `[affiliate_id]`, `[sub_id]`). Retreaver cannot sign, so the connection's token rides in the
 * URL (`token=`), and `event=` names the trigger because nothing else in the request does.
 *
 * Our parameter names are the Retreaver V2 call field names (`uuid`, `caller`, `number`, `cid`...),
 * so one mapper reads both webhooks and API records.
 */
export interface RetreaverTrigger {
  /** Our trigger name; also the value of the `event` query parameter. */
  trigger: string;
  /** The trigger as Retreaver's campaign webhook form names it. */
  providerTrigger: string;
  eventType: CallEventType;
  /** Status this trigger implies; undefined = read it from the payload. */
  status?: CallStatus;
  /** Payload field holding the provider's time for this trigger, when the payload has it. */
  timeField?: string;
  /** Query parameters (ours = Retreaver's tokens) beyond the common ones. */
  params: Array<[string, string]>;
  notes: string;
}

/** Parameters every template carries: the call and where it came from. */
const COMMON_PARAMS: Array<[string, string]> = [
  ['uuid', '[call_uuid]'],
  ['caller', '[caller_id]'],
  ['number', '[called_number]'],
  ['cid', '[campaign_id]'],
  ['afid', '[affiliate_id]'],
  ['sid', '[sub_id]'],
];

export const RETREAVER_TRIGGERS: readonly RetreaverTrigger[] = [
  {
    trigger: 'incoming',
    providerTrigger: 'Start',
    eventType: 'call.started',
    status: 'ringing',
    timeField: 'start_time',
    params: [
      ['caller_state', '[caller_state]'],
      ['caller_zip', '[caller_zip]'],
    ],
    notes:
      'Campaign > Webhooks > Add, trigger "Start" (fires as soon as the call is received). [caller_state] and ' +
      '[caller_zip] are tag tokens seen in third-party setups; when Retreaver leaves them unreplaced they are ignored.',
  },
  {
    trigger: 'selected',
    providerTrigger: 'Selected',
    eventType: 'call.updated',
    status: 'ringing',
    params: [['target_id', '[system_target_id]']],
    notes:
      'Campaign > Webhooks > Add, trigger "Selected" (fires when a buyer/target has been chosen for the call).',
  },
  {
    trigger: 'answered',
    providerTrigger: 'Answered',
    eventType: 'call.answered',
    status: 'in_progress',
    timeField: 'forwarded_time',
    params: [['target_id', '[system_target_id]']],
    notes: 'Campaign > Webhooks > Add, trigger "answered" (fires when the buyer/target picks up).',
  },
  {
    trigger: 'completed',
    providerTrigger: 'End of call',
    eventType: 'call.completed',
    timeField: 'end_time',
    params: [
      ['target_id', '[system_target_id]'],
      ['total_duration', '[call_duration]'],
      ['recording_url', '[call_recording_url]'],
    ],
    notes:
      'Campaign > Webhooks > Add, the end-of-call trigger (fires after all pixels have fired). The URL carries no ' +
      'connected flag, so the call is stored as completed until the next sync reads `connected` from the API.',
  },
  {
    trigger: 'converted',
    providerTrigger: 'Converted',
    eventType: 'call.converted',
    status: 'in_progress',
    timeField: 'conversions_determined_at',
    params: [
      ['target_id', '[system_target_id]'],
      ['total_duration', '[call_duration]'],
    ],
    notes:
      'Campaign > Webhooks > Add, the convert trigger (fires when the call converts). Revenue and payout are not ' +
      'available as tokens; the scheduled sync fills them from the calls API.',
  },
];

const BY_TRIGGER = new Map(RETREAVER_TRIGGERS.map((t) => [t.trigger, t]));

/** Names a sender might use for the `event` parameter, mapped to our trigger names. */
const EVENT_ALIASES: Record<string, string> = {
  incoming: 'incoming',
  start: 'incoming',
  started: 'incoming',
  call_start: 'incoming',
  'call.started': 'incoming',
  selected: 'selected',
  select: 'selected',
  answered: 'answered',
  answer: 'answered',
  connected: 'answered',
  'call.answered': 'answered',
  completed: 'completed',
  complete: 'completed',
  end: 'completed',
  ended: 'completed',
  end_of_call: 'completed',
  finished: 'completed',
  'call.completed': 'completed',
  converted: 'converted',
  convert: 'converted',
  conversion: 'converted',
  'call.converted': 'converted',
};

/** Keys that are ours or secret, never part of the call data. */
const CONTROL_KEYS = new Set(['token', 'event', ...SECRET_RECORD_KEYS]);

/** Keys the mapper reads as call fields; everything else a sender adds becomes a tag. */
const CALL_FIELD_KEYS = new Set([
  'uuid',
  'call_uuid',
  'caller',
  'caller_id',
  'number',
  'called_number',
  'dialed_number',
  'cid',
  'campaign_id',
  'campaign_name',
  'afid',
  'sid',
  'tid',
  'target_id',
  'target_name',
  'caller_state',
  'caller_zip',
  'caller_city',
  'caller_country',
  'status',
  'connected',
  'converted',
  'total_duration',
  'dialed_call_duration',
  'recording_url',
  'revenue',
  'payout',
  'total_cost',
  'charge_total',
  'start_time',
  'forwarded_time',
  'end_time',
  'created_at',
  'updated_at',
  'conversions_determined_at',
  'tags',
]);

/**
 * The templates an operator pastes into Retreaver, one per trigger. `config.url` is the
 * connection's endpoint; the secret goes in `token=` and the trigger in `event=`. Tokens stay
 * literal (`[call_uuid]`, not `%5Bcall_uuid%5D`) because Retreaver replaces them as text.
 */
export function buildWebhookTemplates(config: WebhookConfig): WebhookTemplate[] {
  const wanted = config.triggers ? new Set(config.triggers) : undefined;
  return RETREAVER_TRIGGERS.filter((t) => !wanted || wanted.has(t.trigger)).map((t) => {
    const params: Array<[string, string]> = [
      ['token', encodeURIComponent(config.secret)],
      ['event', t.trigger],
      ...COMMON_PARAMS,
      ...t.params,
    ];
    const separator = config.url.includes('?') ? '&' : '?';
    return {
      trigger: t.trigger,
      providerTrigger: t.providerTrigger,
      method: 'GET',
      url: `${config.url}${separator}${params.map(([key, value]) => `${key}=${value}`).join('&')}`,
      notes: t.notes,
    };
  });
}

/**
 * Query and body merged into one flat record of strings (body wins: a Webhook Configurator POST
 * carries the data there, with `token`/`event` still in the URL). Repeated query keys keep the
 * first value.
 */
export function webhookParams(request: InboundWebhook): RetreaverRecord {
  const params: RetreaverRecord = {};
  for (const [key, value] of Object.entries(request.query ?? {})) {
    params[key] = Array.isArray(value) ? value[0] : value;
  }
  let body: unknown = request.body;
  if (body === undefined && request.rawBody?.length) body = parseRawBody(request);
  if (isRecord(body)) {
    // A JSON body may nest the call like the API does ({"call": {...}}).
    const inner = isRecord(body.call) ? body.call : body;
    for (const [key, value] of Object.entries(inner)) params[key] = value;
  }
  return params;
}

/** Our trigger for a request, from its `event` parameter (query first, then body). */
export function triggerOf(params: RetreaverRecord): RetreaverTrigger | undefined {
  const event = readString(params.event)?.toLowerCase();
  const name = event === undefined ? undefined : EVENT_ALIASES[event];
  return name === undefined ? undefined : BY_TRIGGER.get(name);
}

export function describeRetreaverWebhook(request: InboundWebhook): WebhookDescription {
  const params = webhookParams(request);
  const trigger = triggerOf(params);
  const callId = readString(params.uuid) ?? readString(params.call_uuid);
  if (!trigger) return { eventType: 'call.updated' };
  // One id per (call, trigger): Retreaver redeliveries of the same trigger are dropped, distinct
  // triggers of the same call are not. Without a call id there is nothing stable to key on.
  return {
    eventType: trigger.eventType,
    eventId: callId === undefined ? undefined : `${callId}:${trigger.trigger}`,
  };
}

export function mapRetreaverWebhook(request: InboundWebhook): NormalizedCallEvent {
  const params = webhookParams(request);
  const trigger = triggerOf(params);
  const callId = readString(params.uuid) ?? readString(params.call_uuid);
  if (callId === undefined) {
    throw new MappingError(
      PROVIDER,
      'retreaver webhook has no usable "uuid" (the [call_uuid] token)',
      'uuid',
    );
  }

  const record: RetreaverRecord = {
    ...params,
    uuid: callId,
    caller: params.caller ?? params.caller_id,
    number: params.number ?? params.called_number,
  };
  const call = mapCallRecord(record);

  const hasStatusData = ['status', 'connected', 'converted', 'end_time'].some(
    (k) => readString(params[k]) !== undefined,
  );
  if (trigger?.status) {
    call.status = trigger.status;
  } else if (trigger?.trigger === 'completed') {
    call.status = deriveStatus({
      status: readString(params.status) ?? 'finished',
      connected: readBoolean(params.connected),
      converted: readBoolean(params.converted),
      connectedSeconds: call.connectedDurationSeconds,
      ended: true,
    });
  } else if (!hasStatusData) {
    delete call.status;
  }
  if (trigger?.trigger === 'converted') call.converted = true;
  // The answered trigger means the target picked up now, whatever the payload lacks.
  if (trigger?.trigger === 'answered' && !call.answeredAt)
    call.answeredAt = readDate(params.forwarded_time) ?? request.receivedAt;
  if (trigger?.trigger === 'completed' && !call.endedAt) call.endedAt = request.receivedAt;
  if (trigger?.trigger === 'incoming' && !call.startedAt) call.startedAt = request.receivedAt;

  call.tags = webhookTags(params, call.tags);
  call.providerData = compact({
    method: request.method,
    query: stripControl(request.query ?? {}),
    body: isRecord(request.body) ? stripControl(request.body) : request.body,
  });
  if (call.tags === undefined) delete call.tags;

  const occurredAt = (trigger?.timeField && readDate(params[trigger.timeField])) || request.receivedAt;
  return {
    type: trigger?.eventType ?? 'call.updated',
    occurredAt,
    eventId: trigger ? `${callId}:${trigger.trigger}` : undefined,
    call,
  };
}

/** Parameters a sender added beyond the call fields (tag tokens like `[utm_source]`) become tags. */
function webhookTags(
  params: RetreaverRecord,
  base: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const tags: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(params)) {
    if (CONTROL_KEYS.has(key) || CALL_FIELD_KEYS.has(key)) continue;
    const text = readString(value);
    if (text !== undefined) tags[key] = text;
  }
  return Object.keys(tags).length ? tags : undefined;
}

function stripControl<T extends object>(values: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key !== 'token' && !SECRET_RECORD_KEYS.includes(key)) out[key] = value;
  }
  return out;
}

function parseRawBody(request: InboundWebhook): unknown {
  const text = request.rawBody.toString('utf8').trim();
  if (!text) return undefined;
  const type = (request.contentType ?? request.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('json') || /^[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (type.includes('x-www-form-urlencoded') || /^[^=&\s]+=/.test(text)) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return undefined;
}
