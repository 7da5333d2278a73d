import {
  MappingError,
  PayloadReader,
  isSecretKey,
  readBoolean,
  readString,
  withoutSecretKeys,
  toE164,
  type Campaign,
  type NormalizedCall,
  type TrackingNumber,
} from '@switchboard/plugin-sdk';
import { PROVIDER } from './retreaver.constants.js';
import { deriveStatus, isKnownStatus } from './retreaver.status.js';

export type RetreaverRecord = Record<string, unknown>;

/**
 * Keys that must never be stored: `call_key` lets its holder update the call through Retreaver's
 * API, so it is a credential even though it arrives in call data.
 */
export const SECRET_RECORD_KEYS = ['call_key', 'api_key'];

export function isRecord(value: unknown): value is RetreaverRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Retreaver wraps every object in its type name: `[{"call":{...}}]`, `{"number":{...}}`. Returns
 * the inner object, or undefined when the row does not have that shape.
 */
export function unwrap(row: unknown, key: string): RetreaverRecord | undefined {
  if (!isRecord(row)) return undefined;
  const inner = row[key];
  return isRecord(inner) ? inner : undefined;
}

/**
 * Maps one Retreaver call (the object inside `{"call": ...}` of `/api/v2/calls.json`) to the
 * normalized call. Also reads the later API versions' shapes (V3 `number` object, V4 `campaign`
 * object) so a base URL pointing at them still maps. Throws MappingError without a `uuid`.
 */
export function mapCallRecord(
  call: RetreaverRecord,
  read: PayloadReader = new PayloadReader(),
): NormalizedCall {
  const externalId = readString(call.uuid);
  if (externalId === undefined) {
    throw new MappingError(PROVIDER, 'retreaver call has no usable "uuid"', 'uuid');
  }
  const campaign = isRecord(call.campaign) ? call.campaign : undefined;
  const number = isRecord(call.number) ? call.number.number : call.number;
  const connected = read.boolean('status', call.connected, 'connected');
  const converted = read.boolean('converted', call.converted);
  const connectedSeconds = read.duration(
    'connectedDurationSeconds',
    call.dialed_call_duration,
    'dialed_call_duration',
  );
  const endedAt = read.date('endedAt', call.end_time, 'end_time');
  const status = readString(call.status);
  if (status !== undefined && !isKnownStatus(status)) {
    read.warn(
      'status',
      `status "${status}" is not a Retreaver status Switchboard knows; derived from the flags`,
      status,
    );
  }

  return compact({
    externalId,
    status: deriveStatus({ status, connected, converted, connectedSeconds, ended: endedAt !== undefined }),
    // `cid` is the campaign id Retreaver's campaign, number and filter APIs use
    // (`/campaigns/cid/{cid}`, `client_cid`); `campaign_id` is the internal numeric id.
    campaignExternalId: readString(call.cid) ?? readString(call.campaign_id) ?? readString(campaign?.id),
    campaignName: readString(call.campaign_name) ?? readString(campaign?.name),
    trackingNumber: phone(number, read, 'trackingNumber', 'number'),
    callerNumber: phone(call.caller, read, 'callerNumber', 'caller'),
    destinationNumber: phone(call.dialed_number, read, 'destinationNumber', 'dialed_number'),
    startedAt:
      read.date('startedAt', call.start_time, 'start_time') ??
      read.date('startedAt', call.created_at, 'created_at'),
    // Retreaver has no answer time; `forwarded_time` (the call was passed to the target) is the
    // closest, and only meaningful when the target picked up.
    answeredAt:
      connected === false ? undefined : read.date('answeredAt', call.forwarded_time, 'forwarded_time'),
    endedAt,
    durationSeconds: read.duration('durationSeconds', call.total_duration, 'total_duration'),
    connectedDurationSeconds: connectedSeconds,
    recordingUrl: read.url('recordingUrl', call.recording_url, 'recording_url'),
    converted,
    revenue: read.money('revenue', call.revenue),
    payout: read.money('payout', call.payout),
    cost:
      read.money('cost', call.total_cost, 'total_cost') ??
      read.money('cost', call.charge_total, 'charge_total'),
    tags: partyTags(call, readTags(call.tags)),
    providerData: withoutSecrets(call),
  });
}

/**
 * Publisher and buyer under the tag names Ringba and TrackDrive calls use too: Retreaver's
 * affiliate is the publisher (`afid`, `affiliate_name`, `sid` = sub id), its target is the buyer
 * (`tid`/`target_id`, `target_name`) and a target group is kept as such.
 */
export function partyTags(
  call: RetreaverRecord,
  base: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const group = isRecord(call.target_group) ? call.target_group : undefined;
  const targetId = readString(call.target_id) ?? readString(call.tid) ?? readString(call.system_target_id);
  const targetName = readString(call.target_name);
  const parties = compact({
    publisherId:
      readString(call.afid) ?? readString(call.affiliate_id) ?? readString(call.system_affiliate_id),
    publisherName: readString(call.affiliate_name),
    publisherSubId: readString(call.sid) ?? readString(call.sub_id),
    targetId,
    targetName,
    buyerId: targetId,
    buyerName: targetName,
    targetGroupId: readString(group?.id) ?? readString(call.target_group_id),
    targetGroupName: readString(group?.name) ?? readString(call.target_group_name),
    callerState: readString(call.caller_state),
    callerZip: readString(call.caller_zip),
    callerCity: readString(call.caller_city),
  } as Record<string, string | undefined>) as Record<string, string>;
  const tags = { ...base, ...parties };
  return Object.keys(tags).length ? tags : undefined;
}

/** Retreaver's `tags`: key -> string (several values comma-joined). Non-string values are stringified. */
export function readTags(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const tags: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (SECRET_RECORD_KEYS.includes(key) || isSecretKey(key)) continue;
    const text = Array.isArray(raw)
      ? raw
          .map((v) => readString(v))
          .filter(Boolean)
          .join(',')
      : readString(raw);
    if (text) tags[key] = text;
  }
  return Object.keys(tags).length ? tags : undefined;
}

/** `{"campaign": {...}}` from `/campaigns.json`. Keyed by `cid`, as Retreaver's campaign API is. */
export function mapCampaign(campaign: RetreaverRecord): Campaign {
  const externalId = readString(campaign.cid) ?? readString(campaign.id);
  if (externalId === undefined)
    throw new MappingError(PROVIDER, 'retreaver campaign has no usable "cid"', 'cid');
  return {
    externalId,
    name: readString(campaign.name) ?? externalId,
    providerData: campaign,
  };
}

/** `{"number": {...}}` from `/numbers.json`. Keyed by Retreaver's internal `id` (what DELETE takes). */
export function mapNumber(number: RetreaverRecord): TrackingNumber {
  const externalId = readString(number.id);
  if (externalId === undefined) throw new MappingError(PROVIDER, 'retreaver number has no usable "id"', 'id');
  const e164 = phone(number.number);
  if (e164 === undefined)
    throw new MappingError(PROVIDER, 'retreaver number has no usable "number"', 'number');
  return compact({
    externalId,
    number: e164,
    campaignExternalId: readString(number.cid),
    isTollFree: readBoolean(number.toll_free),
    providerData: number,
  });
}

export function phone(
  value: unknown,
  read?: PayloadReader,
  field?: string,
  source?: string,
): string | undefined {
  const text = readString(value);
  const e164 = toE164(text);
  if (e164 === undefined && text !== undefined && read && field) {
    read.warn(field, `${source ?? field} is not a phone number`, text, source);
  }
  return e164;
}

export function withoutSecrets(record: RetreaverRecord): RetreaverRecord {
  return withoutSecretKeys(record);
}

/** Drops undefined fields so a partial event never blanks what another event filled. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
