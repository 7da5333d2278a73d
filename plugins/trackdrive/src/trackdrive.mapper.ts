import {
  addDecimals,
  MappingError,
  readBoolean,
  readDate,
  readInteger,
  readString,
  isSecretKey,
  PayloadReader,
  withoutSecretKeys,
  toE164,
  type CallStatus,
  type Campaign,
  type NormalizedCall,
  type TrackingNumber,
} from '@switchboard/plugin-sdk';
import { TRACKDRIVE } from './trackdrive.constants.js';
import { mapTrackDriveStatus } from './trackdrive.status.js';

export type TrackDriveRecord = Record<string, unknown>;

/**
 * Field names, first match wins. The API's call fields are only known from third-party code
 * (`uuid`, `caller_number`, `number_called`, `connected_to`, `offer_id`, `offer`, ...); the
 * alternatives cover the call_grid serializer, webhook bodies built from tokens
 * (`trackdrive_call_uuid`, `caller_id`) and nested objects, so one mapper reads all of them.
 */
const FIELDS = {
  id: ['uuid', 'call_uuid', 'trackdrive_call_uuid', 'td_uuid', 'call_id'],
  offerId: ['offer_id', 'offer.id'],
  offerName: ['offer_name', 'offer', 'offer.name'],
  tracking: [
    'number_called',
    'called_number',
    'tracking_number',
    'number',
    'number.number',
    'phone_number',
    'numberCalled',
  ],
  caller: ['caller_number', 'caller_id', 'caller', 'from', 'callerNumber', 'callerId'],
  destination: ['connected_to', 'buyer_number', 'forwarded_to', 'to'],
  startedAt: ['created_at', 'started_at', 'call_start_time_utc'],
  answeredAt: ['answered_at', 'connected_at'],
  endedAt: ['ended_at', 'end_time'],
  totalDuration: ['total_duration', 'duration'],
  connectedDuration: ['answered_duration', 'agent_duration', 'answeredDuration'],
  recordingUrl: ['recording_url', 'recording.url'],
  converted: ['buyer_converted'],
  revenue: ['revenue', 'buyer_revenue', 'buyerRevenue'],
  payout: ['payout', 'traffic_source_payout', 'trafficSourcePayout'],
  totalCost: ['total_cost'],
  status: ['status'],
  subStatus: ['sub_status', 'substatus'],
  updatedAt: ['updated_at'],
} as const;

/** Fields copied into tags (besides the call's custom `token_values`), under these names. */
const TAG_FIELDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['traffic_source_id', ['traffic_source_id', 'traffic_source.id']],
  ['traffic_source', ['traffic_source', 'traffic_source_name', 'traffic_source.name']],
  ['buyer_id', ['buyer_id', 'buyer.id']],
  ['buyer', ['buyer', 'buyer_name', 'buyer.name']],
  ['sub_id', ['sub_id']],
  ['hangup_cause', ['hangup_cause']],
  ['disposition', ['disposition_name', 'disposition_key']],
  ['caller_city', ['caller_city']],
  ['caller_state', ['caller_state', 'geo_state']],
  ['caller_country', ['caller_country']],
  ['offer_converted', ['offer_converted', 'traffic_source_converted']],
  // The same parties under the names Ringba and Retreaver calls use: the traffic source is the
  // publisher, the buyer is the buyer (TrackDrive has no separate target).
  ['publisherId', ['traffic_source_id', 'traffic_source.id', 'user_traffic_source_id']],
  ['publisherName', ['traffic_source', 'traffic_source_name', 'traffic_source.name']],
  ['publisherSubId', ['sub_id']],
  ['buyerId', ['buyer_id', 'buyer.id', 'user_buyer_id']],
  ['buyerName', ['buyer', 'buyer_name', 'buyer.name']],
];

/** Value at a dotted path ("offer.name"); only descends into plain objects. */
function at(record: TrackDriveRecord, path: string): unknown {
  // Most paths are one key: no split (and no array) for them; this runs for every alias of every event.
  if (!path.includes('.')) return record[path];
  let current: unknown = record;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as TrackDriveRecord)[key];
  }
  return current;
}

/** The first field (in order) whose value reads as a usable string. */
export function pickString(record: TrackDriveRecord, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const value = readString(at(record, path));
    if (value !== undefined) return value;
  }
  return undefined;
}

function pick<T>(record: TrackDriveRecord, paths: readonly string[], read: (v: unknown) => T | undefined) {
  for (const path of paths) {
    const value = read(at(record, path));
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The first scalar field present (not empty) among `paths`, with its path. */
function found(
  record: TrackDriveRecord,
  paths: readonly string[],
): { path: string; value: unknown } | undefined {
  for (const path of paths) {
    const value = at(record, path);
    if (value === undefined || value === null) continue;
    // Objects are containers (`number: {number: ...}`): their fields have paths of their own.
    if (typeof value === 'object' && !(value instanceof Date)) continue;
    if (typeof value === 'string' && readString(value) === undefined) continue;
    return { path, value };
  }
  return undefined;
}

/** Reads the first present field with a strict reader; a bad value becomes a warning. */
function strict<T>(
  record: TrackDriveRecord,
  paths: readonly string[],
  field: string,
  read: (field: string, value: unknown, source?: string) => T | undefined,
): T | undefined {
  const hit = found(record, paths);
  return hit === undefined ? undefined : read(field, hit.value, hit.path);
}

/**
 * `buyer_converted` arrives as a boolean, "true"/"1", or — in the default serializer, as seen in
 * third-party code — as the label "Converted" / "Not Converted".
 */
export function readConversion(value: unknown): boolean | undefined {
  const text = readString(value)?.toLowerCase();
  if (text !== undefined) {
    if (text === 'converted') return true;
    if (/^(not|did ?not|didn'?t|un)[\s_-]*convert(ed)?$/.test(text)) return false;
  }
  return readBoolean(value);
}

function readPhone(value: unknown): string | undefined {
  return toE164(readString(value));
}

function readNonNegativeInteger(value: unknown): number | undefined {
  const n = readInteger(value);
  return n !== undefined && n >= 0 ? n : undefined;
}

/** The external id (TrackDrive call uuid) of a record or webhook payload, if it has one. */
export function readCallId(record: TrackDriveRecord): string | undefined {
  return pickString(record, FIELDS.id);
}

export function readUpdatedAt(record: TrackDriveRecord): Date | undefined {
  return pick(record, FIELDS.updatedAt, readDate);
}

/**
 * Status from TrackDrive's `status` (or `sub_status` when `status` is not one we know); when
 * neither is known, derived from what the record shows: ended with talk time -> completed, ended
 * without -> missed, talking -> in_progress.
 */
export function readStatus(record: TrackDriveRecord): CallStatus | undefined {
  const mapped =
    mapTrackDriveStatus(pickString(record, FIELDS.status)) ??
    mapTrackDriveStatus(pickString(record, FIELDS.subStatus));
  if (mapped) return mapped;
  const connected = pick(record, FIELDS.connectedDuration, readNonNegativeInteger);
  const ended = pick(record, FIELDS.endedAt, readDate);
  if (ended) {
    if (connected !== undefined) return connected > 0 ? 'completed' : 'missed';
    return undefined;
  }
  if (pick(record, FIELDS.answeredAt, readDate) || (connected ?? 0) > 0) return 'in_progress';
  return undefined;
}

function readTags(record: TrackDriveRecord): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  const tokenValues = record.token_values;
  if (Array.isArray(tokenValues)) {
    for (const item of tokenValues) {
      if (item && typeof item === 'object') {
        const entry = item as TrackDriveRecord;
        const key = readString(entry.key ?? entry.name ?? entry.token);
        const value = tagValue(entry.value);
        if (key && value !== undefined && !isSecretKey(key)) tags[key] = value;
      }
    }
  } else if (tokenValues && typeof tokenValues === 'object') {
    for (const [key, raw] of Object.entries(tokenValues)) {
      if (isSecretKey(key)) continue;
      const value = tagValue(raw);
      if (value !== undefined) tags[key] = value;
    }
  }
  for (const [name, paths] of TAG_FIELDS) {
    const value = pickString(record, paths);
    if (value !== undefined) tags[name] = value;
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function tagValue(raw: unknown): string | undefined {
  if (Array.isArray(raw)) {
    const parts = raw.map((v) => readString(v)).filter((v): v is string => v !== undefined);
    return parts.length > 0 ? parts.join(',') : undefined;
  }
  return readString(raw);
}

/**
 * Maps a TrackDrive call (API record, subscription payload, or a body rendered from our webhook
 * template) to the normalized call. Throws MappingError when the call uuid is missing.
 */
export function mapCallRecord(
  record: TrackDriveRecord,
  reader: PayloadReader = new PayloadReader(),
): NormalizedCall {
  const externalId = readCallId(record);
  if (externalId === undefined) {
    throw new MappingError(TRACKDRIVE, 'call has no usable "uuid" (call uuid)', 'uuid');
  }
  const r = reader;
  const endedAt = strict(record, FIELDS.endedAt, 'endedAt', r.date.bind(r));
  const connectedDurationSeconds = strict(
    record,
    FIELDS.connectedDuration,
    'connectedDurationSeconds',
    r.duration.bind(r),
  );
  let answeredAt = strict(record, FIELDS.answeredAt, 'answeredAt', r.date.bind(r));
  // No answer time in the record: the buyer leg's talk time counted back from the end is the
  // best estimate (hold and IVR time come before the answer, so they do not skew it).
  if (!answeredAt && endedAt && connectedDurationSeconds && connectedDurationSeconds > 0) {
    answeredAt = new Date(endedAt.getTime() - connectedDurationSeconds * 1000);
  }
  const offerName = pick(record, FIELDS.offerName, (v) =>
    typeof v === 'object' ? undefined : readString(v),
  );
  const rawStatus = pickString(record, FIELDS.status);
  if (rawStatus !== undefined && mapTrackDriveStatus(rawStatus) === undefined) {
    const sub = pickString(record, FIELDS.subStatus);
    if (sub === undefined || mapTrackDriveStatus(sub) === undefined) {
      r.warn(
        'status',
        `status "${rawStatus}" is not a TrackDrive status Switchboard knows; derived from the call`,
        rawStatus,
      );
    }
  }
  const phone = (paths: readonly string[], field: string) => {
    const hit = found(record, paths);
    if (hit === undefined) return undefined;
    const e164 = readPhone(hit.value);
    if (e164 === undefined) r.warn(field, `${hit.path} is not a phone number`, hit.value, hit.path);
    return e164;
  };
  const conversion = found(record, FIELDS.converted);
  const converted = conversion === undefined ? undefined : readConversion(conversion.value);
  if (conversion !== undefined && converted === undefined) {
    r.warn('converted', `${conversion.path} is not a conversion flag`, conversion.value, conversion.path);
  }
  const call: NormalizedCall = {
    externalId,
    status: readStatus(record),
    campaignExternalId: pickString(record, FIELDS.offerId),
    campaignName: offerName,
    trackingNumber: phone(FIELDS.tracking, 'trackingNumber'),
    callerNumber: phone(FIELDS.caller, 'callerNumber'),
    destinationNumber: phone(FIELDS.destination, 'destinationNumber'),
    startedAt: strict(record, FIELDS.startedAt, 'startedAt', r.date.bind(r)),
    answeredAt,
    endedAt,
    durationSeconds: strict(record, FIELDS.totalDuration, 'durationSeconds', r.duration.bind(r)),
    connectedDurationSeconds,
    recordingUrl: strict(record, FIELDS.recordingUrl, 'recordingUrl', r.url.bind(r)),
    converted,
    revenue: strict(record, FIELDS.revenue, 'revenue', r.money.bind(r)),
    payout: strict(record, FIELDS.payout, 'payout', r.money.bind(r)),
    cost: strict(record, FIELDS.totalCost, 'cost', r.money.bind(r)) ?? costFromParts(record, r),
    tags: readTags(record),
    providerData: withoutSecretKeys(record),
  };
  return dropUndefined(call);
}

/** TrackDrive's cost split in two fields, added when either is present. */
function costFromParts(record: Record<string, unknown>, r: PayloadReader): string | undefined {
  const parts = [
    r.money('cost', record.trackdrive_cost, 'trackdrive_cost'),
    r.money('cost', record.provider_cost, 'provider_cost'),
  ];
  if (!parts.some((p) => p !== undefined)) return undefined;
  const sum = addDecimals(...parts);
  // Each part fits the column; their sum may not (numeric(14,4): 10 integer digits).
  if (/^-?\d{11,}/.test(sum)) {
    r.warn('cost', 'trackdrive_cost + provider_cost has more than 10 integer digits', sum, 'trackdrive_cost');
    return undefined;
  }
  return sum;
}

/** Undefined keys removed, so a partial event never carries "field: undefined" around. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/**
 * The call object inside a payload: TrackDrive's single-record answers wrap it (`{call: {...}}`),
 * subscription deliveries may send it bare, in an array, or under `data` [inferred].
 */
export function unwrapCallPayload(value: unknown): TrackDriveRecord | undefined {
  let current = value;
  if (Array.isArray(current)) current = current.find((item) => item && typeof item === 'object');
  if (!current || typeof current !== 'object') return undefined;
  const record = current as TrackDriveRecord;
  // A record with its own call id is the call, even if it has a `data` field of its own.
  if (readCallId(record) !== undefined) return record;
  for (const key of ['call', 'data']) {
    const inner = record[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) return inner as TrackDriveRecord;
  }
  return record;
}

/** An offer (TrackDrive's campaign) [inferred fields: id, name, active/status]. */
export function mapOffer(record: TrackDriveRecord): Campaign {
  const externalId = readString(record.id) ?? readString(record.uuid);
  if (externalId === undefined) throw new MappingError(TRACKDRIVE, 'offer has no usable "id"', 'id');
  const name = readString(record.name) ?? readString(record.offer_name) ?? `Offer ${externalId}`;
  const status = readString(record.status)?.toLowerCase();
  const isActive =
    readBoolean(record.active) ??
    readBoolean(record.enabled) ??
    (readBoolean(record.paused) === undefined ? undefined : !readBoolean(record.paused)) ??
    (status === undefined ? undefined : status === 'active' || status === 'enabled');
  return dropUndefined({ externalId, name, isActive, providerData: record });
}

const NANP_TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/;

/** A phone number from GET /api/v1/phone_numbers (`id`, `number`, `plain_number`, `offer_id`...). */
export function mapPhoneNumber(record: TrackDriveRecord): TrackingNumber {
  const externalId = readString(record.id) ?? readString(record.uuid);
  if (externalId === undefined) throw new MappingError(TRACKDRIVE, 'phone number has no usable "id"', 'id');
  const number = readPhone(record.number) ?? readPhone(record.plain_number) ?? readPhone(record.human_number);
  if (number === undefined) {
    throw new MappingError(TRACKDRIVE, 'phone number has no usable "number"', 'number');
  }
  return dropUndefined({
    externalId,
    number,
    campaignExternalId: readString(record.offer_id),
    // Not a TrackDrive field: NANP toll-free area codes, unless the record says otherwise.
    isTollFree:
      readBoolean(record.toll_free) ?? (number.startsWith('+1') ? NANP_TOLL_FREE.test(number) : undefined),
    providerData: record,
  });
}
