import {
  FieldLookup,
  MappingError,
  PayloadReader,
  isSecretKey,
  payloadFingerprint,
  readBoolean,
  readDate,
  readString,
  withoutSecretKeys,
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

/**
 * Tokens Retreaver documents for webhooks (shared/providers T1, T5, T6 [C]; the last three only in
 * third-party setups [I]). Our templates use only these; any tag key is a token too, but a template
 * cannot rely on a tag the operator's campaign may not set.
 */
export const RETREAVER_DOCUMENTED_TOKENS: readonly string[] = [
  '[call_uuid]',
  '[call_key]',
  '[caller_id]',
  '[called_number]',
  '[call_duration]',
  '[call_recording_url]',
  '[campaign_id]',
  '[affiliate_id]',
  '[sub_id]',
  '[call_log_id]',
  '[nanp_caller_number]',
  '[caller_state]',
  '[caller_zip]',
];

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
    params: [],
    notes:
      'Campaign > Webhooks > Add, trigger "Selected" (fires when a buyer/target has been chosen for the call). ' +
      'Retreaver documents no token for the target, so the buyer comes from the sync or a Webhook Configurator body.',
  },
  {
    trigger: 'answered',
    providerTrigger: 'Answered',
    eventType: 'call.answered',
    status: 'in_progress',
    timeField: 'forwarded_time',
    params: [],
    notes: 'Campaign > Webhooks > Add, trigger "answered" (fires when the buyer/target picks up).',
  },
  {
    trigger: 'completed',
    providerTrigger: 'End of call',
    eventType: 'call.completed',
    timeField: 'end_time',
    params: [
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
    params: [['total_duration', '[call_duration]']],
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

/**
 * Where each V2 call field comes from in a webhook, first name present wins (compared case- and
 * punctuation-insensitively). Three families: the V2 call field names (our template's keys), the
 * names of Retreaver's legacy/timer tokens used as parameter names (`call_uuid`, `caller_id`,
 * `called_number`, `call_duration`, `call_recording_url`, `affiliate_id`, `sub_id`), and the names a
 * Webhook Configurator body commonly uses.
 */
export const WEBHOOK_FIELD_NAMES: Readonly<Record<string, readonly string[]>> = {
  uuid: ['uuid', 'call_uuid', 'call_id'],
  caller: ['caller', 'caller_id', 'nanp_caller_number', 'caller_number'],
  number: ['number', 'called_number', 'tracking_number'],
  dialed_number: ['dialed_number', 'target_number', 'destination_number'],
  cid: ['cid'],
  campaign_id: ['campaign_id', 'system_campaign_id'],
  campaign_name: ['campaign_name'],
  afid: ['afid', 'affiliate_id', 'system_affiliate_id', 'publisher_id'],
  affiliate_name: ['affiliate_name', 'publisher_name'],
  sid: ['sid', 'sub_id'],
  tid: ['tid'],
  target_id: ['target_id', 'system_target_id'],
  target_name: ['target_name', 'buyer_name'],
  target_group_id: ['target_group_id'],
  target_group_name: ['target_group_name'],
  target_group: ['target_group'],
  status: ['status'],
  connected: ['connected'],
  converted: ['converted'],
  total_duration: ['total_duration', 'call_duration', 'duration'],
  dialed_call_duration: ['dialed_call_duration'],
  recording_url: ['recording_url', 'call_recording_url'],
  revenue: ['revenue'],
  payout: ['payout'],
  total_cost: ['total_cost'],
  charge_total: ['charge_total'],
  start_time: ['start_time'],
  forwarded_time: ['forwarded_time'],
  end_time: ['end_time'],
  created_at: ['created_at'],
  updated_at: ['updated_at'],
  conversions_determined_at: ['conversions_determined_at'],
  caller_state: ['caller_state'],
  caller_zip: ['caller_zip'],
  caller_city: ['caller_city'],
  caller_country: ['caller_country'],
  tags: ['tags'],
  campaign: ['campaign'],
};

/** Keys of ours that control delivery (plus every secret key): never call data. */
const CONTROL_KEYS = ['token', 'event', ...SECRET_RECORD_KEYS];

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

/** The V2 call record a webhook describes, under Retreaver's field names, and what was left over. */
export function webhookRecord(params: RetreaverRecord): {
  record: RetreaverRecord;
  extra: Record<string, string>;
} {
  const fields = new FieldLookup(params);
  const record: RetreaverRecord = {};
  for (const [name, aliases] of Object.entries(WEBHOOK_FIELD_NAMES)) {
    const found = fields.find(aliases);
    if (found !== undefined) record[name] = found.value;
  }
  fields.consume(CONTROL_KEYS);
  return { record, extra: fields.leftovers() };
}

/**
 * The trigger of a webhook that names none (no `event` parameter), from what the payload shows,
 * most advanced state first: an end time, a call duration or a final status -> completed (a
 * finished call's record also says whether it converted); converted -> converted; a forwarded
 * time or connected -> answered; otherwise -> incoming. "Selected" cannot be told from "Start".
 */
export function inferTrigger(record: RetreaverRecord): RetreaverTrigger {
  const name = (() => {
    const status = readString(record.status)?.toLowerCase();
    if (
      readString(record.end_time) ||
      readString(record.total_duration) ||
      (status !== undefined && /finish|complete|ended|busy|fail|cancel|no.?answer|reject/.test(status))
    )
      return 'completed';
    if (readBoolean(record.converted) === true || readString(record.conversions_determined_at))
      return 'converted';
    if (readString(record.forwarded_time) || readBoolean(record.connected) === true) return 'answered';
    return 'incoming';
  })();
  return BY_TRIGGER.get(name) as RetreaverTrigger;
}

function resolveTrigger(params: RetreaverRecord, record: RetreaverRecord) {
  const named = triggerOf(params);
  return named ? { trigger: named, inferred: false } : { trigger: inferTrigger(record), inferred: true };
}

/**
 * `${uuid}:${trigger}` for a named trigger (Retreaver's redeliveries of one trigger are dropped,
 * distinct triggers of a call are not); for an inferred one `${uuid}:${trigger}:${hash}`, the hash
 * covering the payload, so a redelivery is dropped but two different webhooks are both kept.
 */
function eventIdFor(
  params: RetreaverRecord,
  callId: string,
  t: { trigger: RetreaverTrigger; inferred: boolean },
) {
  return t.inferred
    ? `${callId}:${t.trigger.trigger}:${payloadFingerprint(params, CONTROL_KEYS)}`
    : `${callId}:${t.trigger.trigger}`;
}

export function describeRetreaverWebhook(request: InboundWebhook): WebhookDescription {
  const params = webhookParams(request);
  const { record } = webhookRecord(params);
  const t = resolveTrigger(params, record);
  const callId = readString(record.uuid);
  return compact({
    eventType: t.trigger.eventType,
    eventId: callId === undefined ? undefined : eventIdFor(params, callId, t),
  });
}

export interface RetreaverMappingOptions {
  /** IANA zone for zone-less dates (the connection's `settings.timeZone`); default UTC. */
  timeZone?: string;
}

export function mapRetreaverWebhook(
  request: InboundWebhook,
  options: RetreaverMappingOptions = {},
): NormalizedCallEvent {
  const params = webhookParams(request);
  const { record, extra } = webhookRecord(params);
  const callId = readString(record.uuid);
  if (callId === undefined) {
    throw new MappingError(
      PROVIDER,
      'retreaver webhook has no usable "uuid" (the [call_uuid] token)',
      'uuid',
    );
  }
  const read = new PayloadReader({ timeZone: options.timeZone });
  const t = resolveTrigger(params, record);
  const rawEvent = readString(params.event);
  if (rawEvent !== undefined && t.inferred) {
    read.warn(
      'type',
      `event "${rawEvent}" is not a Retreaver trigger; inferred "${t.trigger.trigger}"`,
      rawEvent,
      'event',
    );
  }
  const trigger = t.trigger;
  const call = mapCallRecord(record, read);

  const hasStatusData = ['status', 'connected', 'converted', 'end_time'].some(
    (k) => readString(record[k]) !== undefined,
  );
  if (trigger.status) {
    call.status = trigger.status;
  } else if (trigger.trigger === 'completed') {
    call.status = deriveStatus({
      status: readString(record.status) ?? 'finished',
      connected: readBoolean(record.connected),
      converted: readBoolean(record.converted),
      connectedSeconds: call.connectedDurationSeconds,
      ended: true,
    });
  } else if (!hasStatusData) {
    delete call.status;
  }
  if (trigger.trigger === 'converted') call.converted = true;
  const occurredAt =
    (trigger.timeField && readDate(record[trigger.timeField], read.timeZone)) || request.receivedAt;
  // The trigger itself dates the stage when the payload lacks the provider's time.
  if (trigger.trigger === 'answered' && !call.answeredAt) call.answeredAt = occurredAt;
  if (trigger.trigger === 'completed' && !call.endedAt) call.endedAt = occurredAt;
  if (trigger.trigger === 'incoming' && !call.startedAt) call.startedAt = occurredAt;
  // End of call carries the call's length ([call_duration]) but no start time: it started that long
  // before it ended, so the stored times agree with the duration.
  if (
    trigger.trigger === 'completed' &&
    !call.startedAt &&
    call.endedAt &&
    call.durationSeconds !== undefined
  )
    call.startedAt = new Date(call.endedAt.getTime() - call.durationSeconds * 1000);

  const tags = { ...extra, ...call.tags };
  if (Object.keys(tags).length > 0) call.tags = tags;
  else delete call.tags;
  call.providerData = compact({
    method: request.method,
    query: withoutSecretKeys(stripControl(request.query ?? {})),
    body: isRecord(request.body) ? withoutSecretKeys(stripControl(request.body)) : request.body,
  });

  return compact<NormalizedCallEvent>({
    type: trigger.eventType,
    occurredAt,
    eventId: eventIdFor(params, callId, t),
    call,
    warnings: read.result(),
  });
}

function stripControl<T extends object>(values: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key !== 'token' && !isSecretKey(key)) out[key] = value;
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
