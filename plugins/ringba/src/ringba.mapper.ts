import {
  MappingError,
  readBoolean,
  readDate,
  readDecimal,
  readInteger,
  readString,
  required,
  toE164,
  type Campaign,
  type CallStatus,
  type CallEventType,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type TrackingNumber,
  type WebhookDescription,
} from '@switchboard/plugin-sdk';
import { RINGBA_PROVIDER } from './ringba.constants.js';
import { RINGBA_TRIGGER_SPECS, isRingbaTrigger, type RingbaTrigger } from './ringba.pixels.js';
import { deriveRingbaStatus } from './ringba.status.js';

export type RingbaRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is RingbaRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A phone number to E.164. Ringba sends "+1..." in records; pixels built with the "-NoPlus" token
 * send "1..." (and an unencoded "+" may arrive as a leading space). Digits of another country without
 * the plus are retried as international.
 */
export function ringbaPhone(value: unknown): string | undefined {
  const text = readString(value);
  if (text === undefined) return undefined;
  const e164 = toE164(text);
  if (e164 !== undefined) return e164;
  const digits = text.replace(/\D/g, '');
  return /^\d{8,15}$/.test(digits) && !text.startsWith('+') ? toE164(`+${digits}`) : undefined;
}

/** Removes undefined values so a partial event never blanks a field (and tags stay tidy). */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

function tagsOf(entries: Record<string, string | undefined>): Record<string, string> | undefined {
  const tags = compact({ ...entries }) as Record<string, string>;
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/** `message-tags` of a call-log detail record, keyed like Ringba tokens: `tag:Type:Name`. */
function messageTags(record: RingbaRecord): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const list = record['message-tags'];
  if (!Array.isArray(list)) return out;
  for (const tag of list) {
    if (!isRecord(tag)) continue;
    const type = readString(tag.type);
    const name = readString(tag.name);
    const value = readString(tag.value) ?? readString(tag['value-num']);
    if (type && name && value !== undefined) out[`tag:${type}:${name}`] = value;
  }
  return out;
}

/** dtStamp of the first event with that name in a detail record's `events[]`. */
function eventTime(record: RingbaRecord, name: string): Date | undefined {
  const events = record.events;
  if (!Array.isArray(events)) return undefined;
  const event = events.find((e) => isRecord(e) && readString(e.name)?.toLowerCase() === name.toLowerCase());
  return isRecord(event) ? readDate(event.dtStamp) : undefined;
}

/**
 * Maps one call-log record (from `POST /{accountId}/calllogs` or `/calllogs/detail`) to the
 * normalized call. Throws MappingError when the record has no `inboundCallId`.
 */
export function mapCallRecord(record: RingbaRecord): NormalizedCall {
  const externalId = required(RINGBA_PROVIDER, 'inboundCallId', readString(record.inboundCallId));
  const isLive = readBoolean(record.isLive);
  const hasConnected = readBoolean(record.hasConnected);
  const durationSeconds = readInteger(record.callLengthInSeconds);
  const connectedDurationSeconds = readInteger(record.connectedCallLengthInSeconds);
  const startedAt = readDate(record.callDt);
  let endedAt = readDate(record.callCompletedDt) ?? eventTime(record, 'CompletedCall');
  if (!endedAt && isLive === false && startedAt && durationSeconds !== undefined) {
    endedAt = new Date(startedAt.getTime() + durationSeconds * 1000);
  }
  const hasRecording = readBoolean(record.hasRecording);
  const tagged = messageTags(record);

  return compact<NormalizedCall>({
    externalId,
    status: deriveRingbaStatus({
      isLive,
      hasConnected,
      hasPreviouslyConnected: readBoolean(record.hasPreviouslyConnected),
      connectedSeconds: connectedDurationSeconds,
      isIncomplete: readBoolean(record.isIncomplete),
      incompleteCallReason: readString(record.incompleteCallReason),
      blockReason: readString(record.blockReason),
      endCallSource: readString(record.endCallSource),
    }),
    campaignExternalId: readString(record.campaignId),
    campaignName: readString(record.campaignName),
    trackingNumber: ringbaPhone(record.number),
    callerNumber: ringbaPhone(record.inboundPhoneNumber),
    destinationNumber: ringbaPhone(record.targetNumber),
    startedAt,
    answeredAt: readDate(record.callConnectionDt) ?? eventTime(record, 'ConnectedCall'),
    endedAt,
    durationSeconds,
    connectedDurationSeconds,
    recordingUrl: hasRecording === false ? undefined : readString(record.recordingUrl),
    converted: readBoolean(record.hasConverted),
    revenue: readDecimal(record.conversionAmount),
    payout: readDecimal(record.payoutAmount),
    cost: readDecimal(record.totalCost),
    tags: tagsOf({
      publisherId: readString(record.publisherId),
      publisherName: readString(record.publisherName),
      publisherSubId: readString(record.publisherSubId),
      targetId: readString(record.targetId),
      targetName: readString(record.targetName),
      buyerId: readString(record.buyerId),
      buyerName: readString(record.buyer),
      endCallSource: readString(record.endCallSource),
      isDuplicate: readBoolean(record.isDuplicate)?.toString(),
      numberPoolId: readString(record.numberPoolId),
      numberPoolName: readString(record.numberPoolName),
      callerState: tagged['tag:InboundNumber:State'],
      callerZip: tagged['tag:Geo:ZipCode'],
      ...tagged,
    }),
    providerData: record,
  });
}

/**
 * The pixel's fields: query parameters (GET pixels) and body (POST pixels), the body winning.
 * Repeated query keys keep their first value. A body that reached us unparsed is read as JSON or
 * as a form.
 */
export function pixelParams(request: InboundWebhook): RingbaRecord {
  const params: RingbaRecord = {};
  for (const [key, value] of Object.entries(request.query))
    params[key] = Array.isArray(value) ? value[0] : value;
  let body = request.body;
  if (typeof body === 'string' && body.trim()) body = parseTextBody(body);
  if (isRecord(body)) Object.assign(params, body);
  return params;
}

function parseTextBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/** The pixel's trigger, from the `event` parameter the templates add. */
export function pixelTrigger(params: RingbaRecord): RingbaTrigger | undefined {
  const event = readString(params.event)?.toLowerCase();
  return isRingbaTrigger(event) ? event : undefined;
}

function pixelCallId(params: RingbaRecord): string | undefined {
  return readString(params.call_id) ?? readString(params.inboundCallId);
}

export function pixelEventType(trigger: RingbaTrigger | undefined): CallEventType {
  return trigger ? RINGBA_TRIGGER_SPECS[trigger].eventType : 'call.updated';
}

/**
 * Status a trigger implies. Converted, Payout and Recording say nothing about the status; Finalized
 * fires for every outcome and pixels carry no outcome flags, so it leaves the status to the sync.
 */
const PIXEL_STATUS: Partial<Record<RingbaTrigger, CallStatus>> = {
  incoming: 'ringing',
  connected: 'in_progress',
  completed: 'completed',
  error: 'failed',
};

/** Cheap: event id `${callId}:${trigger}` (so Ringba's re-fires are dropped) and event type. */
export function describePixel(request: InboundWebhook): WebhookDescription {
  const params = pixelParams(request);
  const trigger = pixelTrigger(params);
  const callId = pixelCallId(params);
  return compact({
    eventId: callId && trigger ? `${callId}:${trigger}` : undefined,
    eventType: pixelEventType(trigger),
  });
}

/** Maps a fired pixel to a call event; throws MappingError when it carries no call id. */
export function mapPixel(request: InboundWebhook): NormalizedCallEvent {
  const params = pixelParams(request);
  const trigger = pixelTrigger(params);
  const externalId = pixelCallId(params);
  if (externalId === undefined) {
    throw new MappingError(
      RINGBA_PROVIDER,
      'pixel has no usable "call_id" ([Call:InboundCallId])',
      'call_id',
    );
  }
  const occurredAt = request.receivedAt;
  const ended = trigger === 'completed' || trigger === 'finalized' || trigger === 'error';

  const call = compact<NormalizedCall>({
    externalId,
    status: trigger ? PIXEL_STATUS[trigger] : undefined,
    campaignExternalId: readString(params.campaign_id),
    campaignName: readString(params.campaign_name),
    trackingNumber: ringbaPhone(params.number),
    callerNumber: ringbaPhone(params.caller),
    destinationNumber: ringbaPhone(params.target_number),
    startedAt: trigger === 'incoming' ? occurredAt : undefined,
    answeredAt: trigger === 'connected' ? occurredAt : undefined,
    endedAt: ended ? occurredAt : undefined,
    durationSeconds: readInteger(params.duration),
    recordingUrl: readString(params.recording_url),
    converted: trigger === 'converted' ? true : undefined,
    revenue: readDecimal(params.revenue),
    payout: readDecimal(params.payout),
    tags: tagsOf({
      publisherId: readString(params.publisher_id),
      publisherName: readString(params.publisher_name),
      publisherSubId: readString(params.publisher_sub_id),
      targetId: readString(params.target_id),
      targetName: readString(params.target_name),
      buyerName: readString(params.buyer),
      endCallSource: readString(params.end_source),
      isDuplicate: readBoolean(params.duplicate)?.toString(),
      callerState: readString(params.state),
      callerZip: readString(params.zip),
    }),
    providerData: withoutToken(params),
  });
  return compact<NormalizedCallEvent>({
    type: pixelEventType(trigger),
    occurredAt,
    eventId: trigger ? `${externalId}:${trigger}` : undefined,
    call,
  });
}

function withoutToken(params: RingbaRecord): RingbaRecord {
  const { token: _token, ...rest } = params;
  return rest;
}

/** `GET /{accountId}/campaigns` item. `enabled` is the usual flag name [I]. */
export function mapCampaign(record: RingbaRecord): Campaign {
  return compact<Campaign>({
    externalId: required(RINGBA_PROVIDER, 'id', readString(record.id)),
    name: readString(record.name) ?? readString(record.id) ?? '',
    isActive: readBoolean(record.enabled) ?? readBoolean(record.isEnabled),
    providerData: record,
  });
}

/** `GET /{accountId}/numbers` item: `{id, phoneNumber, displayNumber, campaignId, isTollFree, affiliate}`. */
export function mapNumber(record: RingbaRecord): TrackingNumber {
  const externalId = required(RINGBA_PROVIDER, 'id', readString(record.id));
  const number = required(
    RINGBA_PROVIDER,
    'phoneNumber',
    ringbaPhone(record.phoneNumber) ?? ringbaPhone(record.displayNumber),
  );
  return compact<TrackingNumber>({
    externalId,
    number,
    campaignExternalId: readString(record.campaignId),
    isTollFree: readBoolean(record.isTollFree),
    providerData: record,
  });
}
