import {
  MappingError,
  readBoolean,
  readDate,
  readDecimal,
  readInteger,
  readString,
  toE164,
  type Campaign,
  type NormalizedCall,
  type TrackingNumber,
} from '@switchboard/plugin-sdk';
import { PROVIDER } from './retreaver.constants.js';
import { deriveStatus } from './retreaver.status.js';

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
export function mapCallRecord(call: RetreaverRecord): NormalizedCall {
  const externalId = readString(call.uuid);
  if (externalId === undefined) {
    throw new MappingError(PROVIDER, 'retreaver call has no usable "uuid"', 'uuid');
  }
  const campaign = isRecord(call.campaign) ? call.campaign : undefined;
  const number = isRecord(call.number) ? call.number.number : call.number;
  const connected = readBoolean(call.connected);
  const converted = readBoolean(call.converted);
  const connectedSeconds = readInteger(call.dialed_call_duration);
  const endedAt = readDate(call.end_time);

  return compact({
    externalId,
    status: deriveStatus({
      status: readString(call.status),
      connected,
      converted,
      connectedSeconds,
      ended: endedAt !== undefined,
    }),
    // `cid` is the campaign id Retreaver's campaign, number and filter APIs use
    // (`/campaigns/cid/{cid}`, `client_cid`); `campaign_id` is the internal numeric id.
    campaignExternalId: readString(call.cid) ?? readString(call.campaign_id) ?? readString(campaign?.id),
    campaignName: readString(call.campaign_name) ?? readString(campaign?.name),
    trackingNumber: phone(number),
    callerNumber: phone(call.caller),
    destinationNumber: phone(call.dialed_number),
    startedAt: readDate(call.start_time) ?? readDate(call.created_at),
    // Retreaver has no answer time; `forwarded_time` (the call was passed to the target) is the
    // closest, and only meaningful when the target picked up.
    answeredAt: connected === false ? undefined : readDate(call.forwarded_time),
    endedAt,
    durationSeconds: readInteger(call.total_duration),
    connectedDurationSeconds: connectedSeconds,
    recordingUrl: readString(call.recording_url),
    converted,
    revenue: readDecimal(call.revenue),
    payout: readDecimal(call.payout),
    cost: readDecimal(call.total_cost) ?? readDecimal(call.charge_total),
    tags: readTags(call.tags),
    providerData: withoutSecrets(call),
  });
}

/** Retreaver's `tags`: key -> string (several values comma-joined). Non-string values are stringified. */
export function readTags(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const tags: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (SECRET_RECORD_KEYS.includes(key)) continue;
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

export function phone(value: unknown): string | undefined {
  return toE164(readString(value));
}

export function withoutSecrets(record: RetreaverRecord): RetreaverRecord {
  if (!SECRET_RECORD_KEYS.some((key) => key in record)) return record;
  const copy: RetreaverRecord = { ...record };
  for (const key of SECRET_RECORD_KEYS) delete copy[key];
  return copy;
}

/** Drops undefined fields so a partial event never blanks what another event filled. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
