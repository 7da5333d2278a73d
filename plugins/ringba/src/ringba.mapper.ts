import {
  readBoolean,
  readDate,
  readDecimal,
  readDuration,
  readHttpUrl,
  readString,
  required,
  toE164,
  type Campaign,
  type NormalizedCall,
  type TrackingNumber,
} from '@switchboard/plugin-sdk';
import { RINGBA_PROVIDER } from './ringba.constants.js';
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
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

export function tagsOf(entries: Record<string, string | undefined>): Record<string, string> | undefined {
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
  const durationSeconds = readDuration(record.callLengthInSeconds);
  const connectedDurationSeconds = readDuration(record.connectedCallLengthInSeconds);
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
    recordingUrl: hasRecording === false ? undefined : readHttpUrl(record.recordingUrl),
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
