import {
  CALL_EVENT_TYPES,
  CALL_STATUSES,
  isSecretKey,
  type CallEventType,
  type CallStatus,
  type SettingsProblem,
} from '@switchboard/plugin-sdk';
import { isMoneyFormat, MONEY_FORMATS, type MoneyFormat } from './money-formats.js';
import {
  DATE_ORDERS,
  isDateOrder,
  isTimeFormat,
  TIME_FORMATS,
  type DateOrder,
  type TimeFormat,
} from './time-formats.js';
import { formatValuePath, parseValuePath, type PathSegment } from './value-path.js';

/**
 * A connection's `settings.mapping`: where each normalized value is in the sender's request, how
 * the sender writes statuses, event names, money and times. Set through `POST/PATCH /connections`,
 * checked there (`mappingProblems`), compiled once per adapter (`compileMapping`).
 *
 * ```json
 * { "fields": { "externalId": { "from": "body", "path": "$.call.id" },
 *               "callerNumber": [{ "from": "body", "path": "$.call.from" }, { "from": "query", "name": "caller" }] },
 *   "statuses": { "ANSWER": "completed", "NOANSWER": "missed" },
 *   "money": "cents", "time": "unix-seconds" }
 * ```
 */

/** Fields of the normalized call event a source can fill. */
export const CALL_FIELDS = [
  'externalId',
  'status',
  'campaignExternalId',
  'campaignName',
  'trackingNumber',
  'callerNumber',
  'destinationNumber',
  'startedAt',
  'answeredAt',
  'endedAt',
  'durationSeconds',
  'connectedDurationSeconds',
  'recordingUrl',
  'converted',
  'revenue',
  'payout',
  'cost',
] as const;

/** The parties, stored as tags under these names (as Ringba, Retreaver and TrackDrive calls carry them). */
export const PARTY_TAG_FIELDS = [
  'publisherId',
  'publisherName',
  'publisherSubId',
  'buyerId',
  'buyerName',
  'targetId',
  'targetName',
] as const;

/** Fields of the event itself rather than the call. */
export const EVENT_FIELDS = ['eventId', 'eventType', 'occurredAt'] as const;

export const MAPPED_FIELDS = [...EVENT_FIELDS, ...CALL_FIELDS, ...PARTY_TAG_FIELDS] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Where one value is in the request (as written in settings). */
export type SourceSetting =
  | { from: 'body'; path: string }
  | { from: 'form' | 'query' | 'header'; name: string }
  | { constant: string | number | boolean };

export interface MappingSettings {
  fields: Partial<Record<MappedField, SourceSetting | SourceSetting[]>>;
  tags?: Record<string, SourceSetting | SourceSetting[]>;
  statuses?: Record<string, CallStatus>;
  eventTypes?: Record<string, CallEventType>;
  money?: MoneyFormat;
  time?: TimeFormat;
  dateOrder?: DateOrder;
  phoneCountry?: string;
  eventIdIgnore?: string[];
}

/** A source ready to read: where, and its label for warnings and messages. */
export type Source =
  | { kind: 'body'; path: PathSegment[]; label: string }
  | { kind: 'form' | 'query' | 'header'; name: string; label: string }
  | { kind: 'constant'; value: string | number | boolean; label: string };

/** A checked mapping. Sender values in the tables are compared trimmed and without case. */
export interface WebhookMapping {
  fields: Partial<Record<MappedField, Source[]>>;
  tags: Array<[string, Source[]]>;
  statuses: ReadonlyMap<string, CallStatus>;
  eventTypes: ReadonlyMap<string, CallEventType>;
  money: MoneyFormat;
  time: TimeFormat;
  dateOrder: DateOrder;
  phoneCountry: string;
  eventIdIgnore: string[];
}

const ROOT = 'settings.mapping';
const MAPPING_KEYS = [
  'fields',
  'tags',
  'statuses',
  'eventTypes',
  'money',
  'time',
  'dateOrder',
  'phoneCountry',
  'eventIdIgnore',
];
const MAX_SOURCES = 10;
const MAX_TABLE_ENTRIES = 500;
const MAX_TAGS = 50;
const TAG_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** Table keys as compared: trimmed, lower case. */
export function tableKey(value: string): string {
  return value.trim().toLowerCase();
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const list = (values: readonly string[]) => values.join(', ');

/** Checks `settings.mapping` and builds the mapping; `problems` is empty when it is usable. */
export function compileMapping(settings: Readonly<Record<string, unknown>> | undefined): {
  mapping?: WebhookMapping;
  problems: SettingsProblem[];
} {
  const problems: SettingsProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const raw = settings?.mapping;
  if (raw === undefined) {
    problem(ROOT, 'is required: say at least where the call id is (fields.externalId)');
    return { problems };
  }
  if (!isObject(raw)) {
    problem(ROOT, 'must be an object');
    return { problems };
  }
  for (const key of Object.keys(raw))
    if (!MAPPING_KEYS.includes(key))
      problem(`${ROOT}.${key}`, `is not a mapping setting (${list(MAPPING_KEYS)})`);

  const fields: WebhookMapping['fields'] = {};
  if (!isObject(raw.fields)) problem(`${ROOT}.fields`, 'must be an object of field -> source');
  else {
    for (const [name, value] of Object.entries(raw.fields)) {
      const where = `${ROOT}.fields.${name}`;
      if (!(MAPPED_FIELDS as readonly string[]).includes(name)) {
        problem(where, `is not a field Switchboard maps; fields are ${list(MAPPED_FIELDS)}`);
        continue;
      }
      const sources = compileSources(value, where, problem);
      if (
        sources &&
        (name === 'externalId' || name === 'eventId') &&
        sources.some((s) => s.kind === 'constant')
      )
        problem(where, 'cannot be a constant: it must tell one call (or event) from another');
      else if (sources) fields[name as MappedField] = sources;
    }
    if (!('externalId' in raw.fields))
      problem(
        `${ROOT}.fields.externalId`,
        'is required: the call id, which ties the events of one call together',
      );
  }

  const tags: WebhookMapping['tags'] = [];
  if (raw.tags !== undefined) {
    if (!isObject(raw.tags)) problem(`${ROOT}.tags`, 'must be an object of tag name -> source');
    else {
      const entries = Object.entries(raw.tags);
      if (entries.length > MAX_TAGS) problem(`${ROOT}.tags`, `has more than ${MAX_TAGS} tags`);
      for (const [name, value] of entries.slice(0, MAX_TAGS)) {
        const where = `${ROOT}.tags.${name}`;
        if (!TAG_NAME.test(name)) problem(where, 'is not a tag name (letters, digits, _ . : -, at most 64)');
        else if ((PARTY_TAG_FIELDS as readonly string[]).includes(name))
          problem(where, `is a field: map it under fields.${name}`);
        const sources = compileSources(value, where, problem);
        if (sources) tags.push([name, sources]);
      }
    }
  }

  const statuses = compileTable(raw.statuses, `${ROOT}.statuses`, CALL_STATUSES, 'call statuses', problem);
  const eventTypes = compileTable(
    raw.eventTypes,
    `${ROOT}.eventTypes`,
    CALL_EVENT_TYPES,
    'event types',
    problem,
  );

  const money = raw.money ?? 'decimal';
  if (!isMoneyFormat(money)) problem(`${ROOT}.money`, `must be one of ${list(MONEY_FORMATS)}`);
  const time = raw.time ?? 'iso8601';
  if (!isTimeFormat(time)) problem(`${ROOT}.time`, `must be one of ${list(TIME_FORMATS)}`);
  const dateOrder = raw.dateOrder ?? 'YMD';
  if (!isDateOrder(dateOrder)) problem(`${ROOT}.dateOrder`, `must be one of ${list(DATE_ORDERS)}`);
  else if (raw.dateOrder !== undefined && time !== 'local')
    problem(`${ROOT}.dateOrder`, 'only applies to time "local"');
  const phoneCountry = raw.phoneCountry ?? 'US';
  if (typeof phoneCountry !== 'string' || !/^[A-Z]{2}$/.test(phoneCountry))
    problem(`${ROOT}.phoneCountry`, 'must be a two-letter country code in capitals ("US", "GB")');
  const eventIdIgnore = raw.eventIdIgnore ?? [];
  if (
    !Array.isArray(eventIdIgnore) ||
    eventIdIgnore.length > 50 ||
    !eventIdIgnore.every((k) => typeof k === 'string' && k.length > 0 && k.length <= 100)
  )
    problem(`${ROOT}.eventIdIgnore`, 'must be a list of at most 50 field names');

  if (problems.length > 0) return { problems };
  return {
    problems,
    mapping: {
      fields,
      tags,
      statuses,
      eventTypes,
      money: money as MoneyFormat,
      time: time as TimeFormat,
      dateOrder: dateOrder as DateOrder,
      phoneCountry: phoneCountry as string,
      eventIdIgnore: eventIdIgnore as string[],
    },
  };
}

/** The problems with a connection's mapping (the manifest's validateSettings). */
export function mappingProblems(settings: Readonly<Record<string, unknown>> | undefined): SettingsProblem[] {
  return compileMapping(settings).problems;
}

function compileSources(
  value: unknown,
  where: string,
  problem: (field: string, message: string) => void,
): Source[] | undefined {
  const settings = Array.isArray(value) ? value : [value];
  if (settings.length === 0 || settings.length > MAX_SOURCES) {
    problem(where, `needs one source or a list of 1 to ${MAX_SOURCES} (first present wins)`);
    return undefined;
  }
  const sources: Source[] = [];
  settings.forEach((setting, i) => {
    const at = Array.isArray(value) ? `${where}[${i}]` : where;
    const source = compileSource(setting, at, problem);
    if (source) sources.push(source);
  });
  return sources.length === settings.length ? sources : undefined;
}

function compileSource(
  setting: unknown,
  where: string,
  problem: (field: string, message: string) => void,
): Source | undefined {
  if (!isObject(setting)) {
    problem(
      where,
      'must be a source: {"from": "body", "path": "$.call.id"}, {"from": "form" | "query" | "header", "name": "..."} or {"constant": ...}',
    );
    return undefined;
  }
  if ('constant' in setting) {
    const value = setting.constant;
    const extra = Object.keys(setting).filter((k) => k !== 'constant');
    if (extra.length > 0) problem(where, `a constant takes no other keys (${list(extra)})`);
    else if (!['string', 'number', 'boolean'].includes(typeof value))
      problem(`${where}.constant`, 'must be text, a number or true/false');
    else return { kind: 'constant', value: value as string | number | boolean, label: 'constant' };
    return undefined;
  }
  const from = setting.from;
  if (from === 'body') {
    const extra = Object.keys(setting).filter((k) => k !== 'from' && k !== 'path');
    if (extra.length > 0) {
      problem(where, `a body source takes "path" only (not ${list(extra)})`);
      return undefined;
    }
    if (typeof setting.path !== 'string') {
      problem(`${where}.path`, 'is required: a JSON path such as "$.call.id" or "$.legs[0].number"');
      return undefined;
    }
    const parsed = parseValuePath(setting.path);
    if (!parsed.ok) {
      problem(`${where}.path`, `"${setting.path}" ${parsed.reason}`);
      return undefined;
    }
    const secret = parsed.segments.find((s) => typeof s === 'string' && isSecretKey(s));
    if (secret !== undefined) {
      problem(`${where}.path`, `reads "${String(secret)}", a secret: secrets are never mapped`);
      return undefined;
    }
    return { kind: 'body', path: parsed.segments, label: formatValuePath(parsed.segments) };
  }
  if (from === 'form' || from === 'query' || from === 'header') {
    const extra = Object.keys(setting).filter((k) => k !== 'from' && k !== 'name');
    if (extra.length > 0) {
      problem(where, `a ${from} source takes "name" only (not ${list(extra)})`);
      return undefined;
    }
    const name = setting.name;
    const valid =
      typeof name === 'string' &&
      name.length > 0 &&
      name.length <= 200 &&
      (from !== 'header' || HEADER_NAME.test(name));
    if (!valid) {
      problem(`${where}.name`, `is required: the ${from === 'header' ? 'header' : 'field'} name`);
      return undefined;
    }
    if (
      isSecretKey(name) ||
      (from === 'header' && /^(authorization|cookie|webhook-signature)$/i.test(name))
    ) {
      problem(`${where}.name`, `"${name}" carries a secret: secrets are never mapped`);
      return undefined;
    }
    const key = from === 'header' ? name.toLowerCase() : name;
    return { kind: from, name: key, label: `${from}:${key}` };
  }
  problem(`${where}.from`, `must be "body", "form", "query" or "header" (or give a "constant")`);
  return undefined;
}

function compileTable<T extends string>(
  raw: unknown,
  where: string,
  allowed: readonly T[],
  what: string,
  problem: (field: string, message: string) => void,
): Map<string, T> {
  const table = new Map<string, T>();
  if (raw === undefined) return table;
  if (!isObject(raw)) {
    problem(where, `must be an object of sender value -> one of our ${what}`);
    return table;
  }
  const entries = Object.entries(raw);
  if (entries.length > MAX_TABLE_ENTRIES) problem(where, `has more than ${MAX_TABLE_ENTRIES} entries`);
  for (const [senderValue, ours] of entries) {
    const key = tableKey(senderValue);
    if (!key) problem(where, 'has an empty sender value');
    else if (typeof ours !== 'string' || !(allowed as readonly string[]).includes(ours))
      problem(`${where}.${senderValue}`, `${shown(ours)} is not one of our ${what} (${list(allowed)})`);
    else if (table.has(key) && table.get(key) !== ours)
      problem(
        `${where}.${senderValue}`,
        `repeats "${senderValue}" (compared without case) with another value`,
      );
    else table.set(key, ours as T);
  }
  return table;
}

/** A settings value as a problem quotes it: any JSON (String() throws on {"toString": false}). */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
