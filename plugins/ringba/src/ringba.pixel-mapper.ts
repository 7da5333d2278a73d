import {
  FieldLookup,
  MappingError,
  PayloadReader,
  isFinalStatus,
  payloadFingerprint,
  readString,
  withoutSecretKeys,
  type CallEventType,
  type CallStatus,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type WebhookDescription,
} from '@switchboard/plugin-sdk';
import { RINGBA_PROVIDER } from './ringba.constants.js';
import { compact, isRecord, ringbaPhone, tagsOf, type RingbaRecord } from './ringba.mapper.js';
import { RINGBA_TRIGGER_SPECS, isRingbaTrigger, type RingbaTrigger } from './ringba.pixels.js';
import { deriveRingbaStatus } from './ringba.status.js';

/**
 * Where each normalized field comes from in a pixel, first name present wins. Three families of
 * names, compared case- and punctuation-insensitively (so `inboundCallId`, `inbound_call_id` and
 * `Call:InboundCallId` are one name):
 * - our template's keys (`call_id`, `caller`, `revenue`...; see PIXEL_TOKENS);
 * - Ringba's own call-log field names (`inboundCallId`, `inboundPhoneNumber`, `conversionAmount`,
 *   `payoutAmount`, `callLengthInSeconds`, `recordingUrl`...), which operators use when they build
 *   a pixel body from Ringba's documentation or copy a call-log record;
 * - Ringba's token names without brackets (`InboundCallId`, `InboundNumber:Number`, `Geo:ZipCode`,
 *   `ConversionPayout`...), which Ringba's pixel editor suggests as parameter names.
 */
export const PIXEL_FIELD_NAMES = {
  callId: ['call_id', 'inboundCallId', 'Call:InboundCallId', 'callId', 'callUUID', 'call_uuid'],
  event: ['event'],
  caller: [
    'caller',
    'inboundPhoneNumber',
    'InboundNumber:Number',
    'InboundNumber:Number-NoPlus',
    'tag:InboundNumber:Number',
    'tag:InboundNumber:Number-NoPlus',
    'callerId',
    'caller_number',
  ],
  number: ['number', 'DialedNumber:Number', 'tag:DialedNumber:Number', 'trackingNumber', 'dialedNumber'],
  campaignId: ['campaign_id', 'campaignId', 'Campaign:Id', 'tag:Campaign:Id'],
  campaignName: ['campaign_name', 'campaignName', 'Campaign:Name', 'tag:Campaign:Name'],
  destination: ['target_number', 'targetNumber', 'Target:Number', 'tag:Target:Number'],
  startedAt: ['callDt', 'call_dt', 'started_at'],
  answeredAt: ['callConnectionDt', 'answered_at'],
  endedAt: ['callCompletedDt', 'ended_at'],
  duration: ['duration', 'callLengthInSeconds', 'CallLength:Total', 'tag:CallLength:Total', 'call_length'],
  connectedDuration: ['connected_duration', 'connectedCallLengthInSeconds'],
  recordingUrl: [
    'recording_url',
    'recordingUrl',
    'Recording:RecordingUrl',
    'tag:Recording:RecordingUrl',
    'Call:RecordingUrl',
  ],
  revenue: ['revenue', 'conversionAmount', 'Call:ConversionAmount', 'ConversionAmount'],
  payout: ['payout', 'payoutAmount', 'Call:ConversionPayout', 'ConversionPayout'],
  cost: ['cost', 'totalCost'],
  hasConnected: ['hasConnected', 'connected'],
  hasConverted: ['hasConverted', 'converted'],
  hasPayout: ['hasPayout'],
  isLive: ['isLive'],
  isIncomplete: ['isIncomplete'],
  incompleteReason: ['incompleteCallReason'],
  blockReason: ['blockReason'],
  publisherId: ['publisher_id', 'publisherId', 'Publisher:Id', 'tag:Publisher:Id', 'affiliateId'],
  publisherName: ['publisher_name', 'publisherName', 'Publisher:Name', 'tag:Publisher:Name'],
  publisherSubId: [
    'publisher_sub_id',
    'publisherSubId',
    'Publisher:SubId',
    'tag:Publisher:SubId',
    'sub_id',
    'subId',
  ],
  targetId: ['target_id', 'targetId', 'Target:Id', 'tag:Target:Id'],
  targetName: ['target_name', 'targetName', 'Target:Name', 'tag:Target:Name'],
  buyerId: ['buyer_id', 'buyerId'],
  buyerName: ['buyer', 'buyerName', 'Buyer:Name', 'tag:Buyer:Name'],
  endCallSource: ['end_source', 'endCallSource', 'EndCall:EndCallSource', 'tag:EndCall:EndCallSource'],
  duplicate: ['duplicate', 'isDuplicate', 'CallInfo:IsDuplicate', 'tag:CallInfo:IsDuplicate'],
  state: ['state', 'InboundNumber:State', 'tag:InboundNumber:State', 'caller_state'],
  zip: ['zip', 'Geo:ZipCode', 'tag:Geo:ZipCode', 'zipCode', 'caller_zip'],
  googleClickId: ['gclid', 'googleClickId', 'Integration:googleClickId', 'tag:Integration:googleClickId'],
} as const;

/** Keys that control delivery, never call data. */
const CONTROL_KEYS = ['token', 'event'];

/**
 * The pixel's fields: query parameters (GET pixels) and body (POST pixels), the body winning.
 * Repeated query keys keep their first value. A body that reached us unparsed is read as JSON or
 * as a form; a JSON body that wraps the call (`{"call": {...}}`) is unwrapped.
 */
export function pixelParams(request: InboundWebhook): RingbaRecord {
  const params: RingbaRecord = {};
  for (const [key, value] of Object.entries(request.query ?? {}))
    params[key] = Array.isArray(value) ? value[0] : value;
  let body = request.body;
  if (typeof body === 'string' && body.trim()) body = parseTextBody(body);
  if (isRecord(body)) Object.assign(params, isRecord(body.call) ? { ...body, ...body.call } : body);
  if ('call' in params && isRecord(params.call)) delete params.call;
  return params;
}

function parseTextBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/** Which pixel fired, and whether the payload named it or it was inferred. */
export interface PixelTrigger {
  trigger: RingbaTrigger;
  inferred: boolean;
}

/** The trigger named by the `event` parameter our templates add (or its generic alias). */
export function namedTrigger(params: RingbaRecord): RingbaTrigger | undefined {
  const event = readString(new FieldLookup(params).find(PIXEL_FIELD_NAMES.event)?.value)?.toLowerCase();
  if (event === undefined) return undefined;
  const alias: Record<string, RingbaTrigger> = {
    started: 'incoming',
    answered: 'connected',
    ended: 'finalized',
  };
  return isRingbaTrigger(event) ? event : alias[event];
}

/**
 * The trigger of a pixel that does not name one (a pixel configured without our `event`
 * parameter), from what the payload shows, most advanced state first:
 * - an end time, a call length or an end source -> finalized (the call is over);
 * - a payout amount or hasPayout -> payout; a conversion amount or hasConverted -> converted;
 * - a connection time, hasConnected or talk time -> connected;
 * - a recording URL alone -> recording;
 * - otherwise (an id and the caller's details) -> incoming.
 */
export function inferTrigger(fields: FieldLookup): RingbaTrigger {
  const has = (names: readonly string[]) => fields.find(names) !== undefined;
  const truthy = (names: readonly string[]) => /^(true|1|yes)$/i.test(fields.string(names) ?? '');
  if (
    has(PIXEL_FIELD_NAMES.endedAt) ||
    has(PIXEL_FIELD_NAMES.duration) ||
    has(PIXEL_FIELD_NAMES.endCallSource)
  )
    return 'finalized';
  if (has(PIXEL_FIELD_NAMES.payout) || truthy(PIXEL_FIELD_NAMES.hasPayout)) return 'payout';
  if (has(PIXEL_FIELD_NAMES.revenue) || truthy(PIXEL_FIELD_NAMES.hasConverted)) return 'converted';
  if (
    has(PIXEL_FIELD_NAMES.answeredAt) ||
    truthy(PIXEL_FIELD_NAMES.hasConnected) ||
    has(PIXEL_FIELD_NAMES.connectedDuration)
  )
    return 'connected';
  if (has(PIXEL_FIELD_NAMES.recordingUrl)) return 'recording';
  return 'incoming';
}

function pixelTrigger(params: RingbaRecord): PixelTrigger {
  const named = namedTrigger(params);
  return named
    ? { trigger: named, inferred: false }
    : { trigger: inferTrigger(new FieldLookup(params)), inferred: true };
}

/**
 * Event id: `${callId}:${trigger}` for a named trigger (Ringba's re-fires of one pixel are dropped,
 * distinct pixels of a call are not); for an inferred trigger `${callId}:${trigger}:${hash}` where
 * the hash covers the payload, so a redelivery is dropped but two different pixels that infer the
 * same trigger (Completed and Finalized both carry a call length) are both kept.
 */
function eventIdFor(params: RingbaRecord, callId: string, trigger: PixelTrigger): string {
  if (!trigger.inferred) return `${callId}:${trigger.trigger}`;
  return `${callId}:${trigger.trigger}:${payloadFingerprint(params, CONTROL_KEYS)}`;
}

/**
 * A pixel that fires when the call ends (Completed, Finalized) and carries the call length but no
 * start time: the call started that long before it ended. Stated so the stored call's times and
 * durations agree, whatever the arrival times of the earlier pixels were.
 */
function startFromEnd(t: RingbaTrigger, endedAt: Date | undefined, seconds: number | undefined) {
  if ((t !== 'completed' && t !== 'finalized') || !endedAt || seconds === undefined) return undefined;
  return new Date(endedAt.getTime() - seconds * 1000);
}

export function pixelEventType(trigger: RingbaTrigger): CallEventType {
  return RINGBA_TRIGGER_SPECS[trigger].eventType;
}

/**
 * Status a trigger implies. Converted, Payout and Recording say nothing about the status; Finalized
 * fires for every outcome, so its status comes from outcome flags when the payload has them.
 */
const PIXEL_STATUS: Partial<Record<RingbaTrigger, CallStatus>> = {
  incoming: 'ringing',
  connected: 'in_progress',
  completed: 'completed',
  error: 'failed',
};

/** Cheap: the event id and type mapPixel will give. */
export function describePixel(request: InboundWebhook): WebhookDescription {
  const params = pixelParams(request);
  const trigger = pixelTrigger(params);
  const callId = new FieldLookup(params).string(PIXEL_FIELD_NAMES.callId);
  return compact({
    eventId: callId ? eventIdFor(params, callId, trigger) : undefined,
    eventType: pixelEventType(trigger.trigger),
  });
}

export interface PixelMappingOptions {
  /** IANA zone for zone-less dates (the connection's `settings.timeZone`); default UTC. */
  timeZone?: string;
}

/**
 * Maps a fired pixel to a call event; throws MappingError when it carries no call id. Values
 * present but unusable become warnings on the event; the rest of the call is kept.
 */
export function mapPixel(request: InboundWebhook, options: PixelMappingOptions = {}): NormalizedCallEvent {
  const params = pixelParams(request);
  const fields = new FieldLookup(params);
  const read = new PayloadReader({ timeZone: options.timeZone });
  const F = PIXEL_FIELD_NAMES;
  const externalId = fields.string(F.callId);
  if (externalId === undefined) {
    throw new MappingError(
      RINGBA_PROVIDER,
      'pixel has no usable "call_id" ([Call:InboundCallId]) nor "inboundCallId"',
      'call_id',
    );
  }
  const rawEvent = fields.string(F.event);
  const trigger = pixelTrigger(params);
  if (rawEvent !== undefined && trigger.inferred) {
    read.warn(
      'type',
      `event "${rawEvent}" is not a Ringba pixel trigger; inferred "${trigger.trigger}"`,
      rawEvent,
      'event',
    );
  }
  fields.consume(CONTROL_KEYS);

  const value = <K extends keyof typeof F>(name: K) => fields.find(F[name]);
  const money = (field: string, name: keyof typeof F) => {
    const found = value(name);
    return found && read.money(field, found.value, found.key);
  };
  const date = (field: string, name: keyof typeof F) => {
    const found = value(name);
    return found && read.date(field, found.value, found.key);
  };
  const duration = (field: string, name: keyof typeof F) => {
    const found = value(name);
    return found && read.duration(field, found.value, found.key);
  };
  const flag = (field: string, name: keyof typeof F) => {
    const found = value(name);
    return found && read.boolean(field, found.value, found.key);
  };
  const phone = (field: string, name: keyof typeof F) => {
    const found = value(name);
    if (!found) return undefined;
    const e164 = ringbaPhone(found.value);
    if (e164 === undefined) read.warn(field, `${found.key} is not a phone number`, found.value, found.key);
    return e164;
  };

  const startedAt = date('startedAt', 'startedAt');
  const answeredAt = date('answeredAt', 'answeredAt');
  let endedAt = date('endedAt', 'endedAt');
  const durationSeconds = duration('durationSeconds', 'duration');
  const connectedDurationSeconds = duration('connectedDurationSeconds', 'connectedDuration');
  const endCallSource = fields.string(F.endCallSource);
  const hasConnected = flag('status', 'hasConnected');
  const converted = flag('converted', 'hasConverted');
  const isLive = flag('status', 'isLive');
  const isIncomplete = flag('status', 'isIncomplete');
  flag('payout', 'hasPayout');
  const recordingFound = value('recordingUrl');
  const recordingUrl = recordingFound && read.url('recordingUrl', recordingFound.value, recordingFound.key);

  const t = trigger.trigger;
  const ended = t === 'completed' || t === 'finalized' || t === 'error';
  const receivedAt = request.receivedAt;
  // The provider's own time for the trigger when the payload carries it, else the arrival time.
  const providerTime =
    t === 'incoming' ? startedAt : t === 'connected' ? answeredAt : ended ? endedAt : undefined;
  const occurredAt = providerTime ?? receivedAt;
  if (ended && !endedAt) endedAt = occurredAt;

  const outcome = deriveRingbaStatus({
    isLive,
    hasConnected,
    connectedSeconds: connectedDurationSeconds,
    isIncomplete,
    incompleteCallReason: fields.string(F.incompleteReason),
    blockReason: fields.string(F.blockReason),
    endCallSource,
  });
  // Finalized says the call ended, not how: a final outcome from the flags when the payload has
  // them. Converted, Payout and Recording say nothing about the status.
  const status =
    t === 'finalized' ? (outcome && isFinalStatus(outcome) ? outcome : undefined) : PIXEL_STATUS[t];

  const campaignExternalId = fields.string(F.campaignId);
  const campaignName = fields.string(F.campaignName);
  const trackingNumber = phone('trackingNumber', 'number');
  const callerNumber = phone('callerNumber', 'caller');
  const destinationNumber = phone('destinationNumber', 'destination');
  const revenue = money('revenue', 'revenue');
  const payout = money('payout', 'payout');
  const cost = money('cost', 'cost');
  const named = {
    publisherId: fields.string(F.publisherId),
    publisherName: fields.string(F.publisherName),
    publisherSubId: fields.string(F.publisherSubId),
    targetId: fields.string(F.targetId),
    targetName: fields.string(F.targetName),
    buyerId: fields.string(F.buyerId),
    buyerName: fields.string(F.buyerName),
    endCallSource,
    isDuplicate: flag('tags.isDuplicate', 'duplicate')?.toString(),
    callerState: fields.string(F.state),
    callerZip: fields.string(F.zip),
    googleClickId: fields.string(F.googleClickId),
  };
  // Parameters the operator added beyond the known names are kept as tags (secrets never).
  const tags = tagsOf({ ...fields.leftovers(), ...named });

  const call = compact<NormalizedCall>({
    externalId,
    status,
    campaignExternalId,
    campaignName,
    trackingNumber,
    callerNumber,
    destinationNumber,
    startedAt: startedAt ?? (t === 'incoming' ? occurredAt : startFromEnd(t, endedAt, durationSeconds)),
    answeredAt: answeredAt ?? (t === 'connected' ? occurredAt : undefined),
    endedAt,
    durationSeconds,
    connectedDurationSeconds,
    recordingUrl,
    converted: t === 'converted' ? true : converted,
    revenue,
    payout,
    cost,
    tags,
    providerData: withoutSecretKeys(params),
  });
  return compact<NormalizedCallEvent>({
    type: pixelEventType(t),
    occurredAt,
    eventId: eventIdFor(params, externalId, trigger),
    call,
    warnings: read.result(),
  });
}
