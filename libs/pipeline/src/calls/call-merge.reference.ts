import { CALL_STATUSES, CALL_STATUS_STAGE, type CallStatus } from '@switchboard/core';
import { DEFAULT_STATUS_TIME, MAP_FIELDS, SCALAR_FIELDS, type ScalarField } from './call-fields.js';
import type { CallEventRow } from './call-event-row.js';

/**
 * The merge rule of CALL_UPSERT_SQL written as plain TypeScript, for tests and the benchmark to
 * compute the expected rows ("the in-order result"). Production never uses it: there the rule
 * lives only in the SQL statement.
 */
export interface ReferenceCall {
  connectionId: string;
  provider: string;
  externalId: string;
  status: { value: CallStatus; t: number };
  fields: Record<string, { value: unknown; t: number } | undefined>;
  maps: Record<string, Record<string, { value: unknown; t: number }>>;
  lastEventAt: string;
}

/** A call as the database shows it, in the text form node-postgres returns (for comparisons). */
export type ComparableCall = Record<string, unknown>;

export function referenceKey(row: CallEventRow): string {
  return `${String(row.connection_id)}|${String(row.external_id)}`;
}

/** Folds events into calls, in the order given (the rule makes the order irrelevant). */
export function referenceFold(
  rows: readonly CallEventRow[],
  into = new Map<string, ReferenceCall>(),
): Map<string, ReferenceCall> {
  for (const row of rows) {
    const key = referenceKey(row);
    const current = into.get(key) ?? emptyCall(row);
    into.set(key, applyEvent(current, row));
  }
  return into;
}

function emptyCall(row: CallEventRow): ReferenceCall {
  return {
    connectionId: String(row.connection_id),
    provider: String(row.provider),
    externalId: String(row.external_id),
    status: { value: 'ringing', t: DEFAULT_STATUS_TIME },
    fields: {},
    maps: Object.fromEntries(MAP_FIELDS.map((m) => [m, {}])),
    lastEventAt: String(row.occurred_at),
  };
}

const STATUS_ORDER = (s: CallStatus) => CALL_STATUSES.indexOf(s);

function applyEvent(call: ReferenceCall, row: CallEventRow): ReferenceCall {
  const t = Number(row.t);
  const next: ReferenceCall = { ...call, fields: { ...call.fields }, maps: { ...call.maps } };
  if (Date.parse(String(row.occurred_at)) > Date.parse(call.lastEventAt))
    next.lastEventAt = String(row.occurred_at);
  const status = row.status as CallStatus | null;
  if (status) {
    const incoming: [number, number, number] = [CALL_STATUS_STAGE[status], t, STATUS_ORDER(status)];
    const held: [number, number, number] = [
      CALL_STATUS_STAGE[call.status.value],
      call.status.t,
      STATUS_ORDER(call.status.value),
    ];
    if (compareTuples(incoming, held) > 0) next.status = { value: status, t };
  }
  for (const field of SCALAR_FIELDS) {
    const value = row[field.column];
    if (value === null || value === undefined) continue;
    if (field.kind === 'jsonb' && Object.keys(value as object).length === 0) continue;
    const held = call.fields[field.column];
    if (!held || held.t < t || (held.t === t && compareValues(field, value, held.value) > 0)) {
      next.fields[field.column] = { value, t };
    }
  }
  for (const map of MAP_FIELDS) {
    const incoming = (row[map] ?? {}) as Record<string, unknown>;
    const merged = { ...call.maps[map] };
    for (const [key, value] of Object.entries(incoming)) {
      const held = merged[key];
      if (!held || held.t < t || (held.t === t && compareJson(value, held.value) > 0))
        merged[key] = { value, t };
    }
    next.maps[map] = merged;
  }
  return next;
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function compareValues(field: ScalarField, a: unknown, b: unknown): number {
  switch (field.kind) {
    case 'integer':
      return Math.sign(Number(a) - Number(b));
    case 'boolean':
      return Math.sign(Number(a) - Number(b));
    case 'numeric': {
      const x = scaled(String(a));
      const y = scaled(String(b));
      return x === y ? 0 : x < y ? -1 : 1;
    }
    case 'timestamptz':
      return Math.sign(Date.parse(String(a)) - Date.parse(String(b)));
    case 'jsonb': {
      const x = pgJsonText(a);
      const y = pgJsonText(b);
      return x === y ? 0 : x < y ? -1 : 1;
    }
    default:
      return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
  }
}

/**
 * jsonb's text form as PostgreSQL prints it (keys ordered by length, then bytes; ", " and ": "),
 * which the SQL uses to break time ties between two payloads. Numbers print as JavaScript prints
 * them, which matches PostgreSQL for the integers and short decimals payloads carry.
 */
export function pgJsonText(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pgJsonText).join(', ')}]`;
  const keys = Object.keys(value).sort((a, b) => {
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
  });
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${pgJsonText((value as Record<string, unknown>)[k])}`).join(', ')}}`;
}

function compareJson(a: unknown, b: unknown): number {
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A decimal string as an integer count of 1/10000 (numeric(14,4)), rounding half away from zero like PostgreSQL. */
function scaled(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace(/^[-+]/, '').split('.');
  let units = BigInt(whole || '0') * 10_000n + BigInt((fraction + '0000').slice(0, 4));
  if (Number(fraction[4] ?? '0') >= 5) units += 1n;
  return negative ? -units : units;
}

/** numeric(14,4) text as PostgreSQL prints it. */
export function formatNumeric14(value: string): string {
  const units = scaled(value);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const text = `${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`;
  return negative ? `-${text}` : text;
}

/** The visible columns of a reference call, in the form `comparableRow` gives database rows. */
export function comparableReference(call: ReferenceCall): ComparableCall {
  const out: ComparableCall = {
    connection_id: call.connectionId,
    provider: call.provider,
    external_id: call.externalId,
    status: call.status.value,
    last_event_at: new Date(call.lastEventAt).toISOString(),
  };
  for (const field of SCALAR_FIELDS) {
    const held = call.fields[field.column];
    out[field.column] =
      held === undefined ? (field.kind === 'jsonb' ? {} : null) : normalize(field, held.value);
  }
  for (const map of MAP_FIELDS) {
    out[map] = Object.fromEntries(Object.entries(call.maps[map]).map(([k, v]) => [k, v.value]));
  }
  return out;
}

/** The same columns of a `calls` row read with node-postgres. */
export function comparableRow(row: Record<string, unknown>): ComparableCall {
  const out: ComparableCall = {
    connection_id: row.connection_id,
    provider: row.provider,
    external_id: row.external_id,
    status: row.status,
    last_event_at: (row.last_event_at as Date).toISOString(),
  };
  for (const field of SCALAR_FIELDS) {
    const value = row[field.column];
    out[field.column] = value === null || value === undefined ? null : normalize(field, value);
  }
  for (const map of MAP_FIELDS) out[map] = row[map];
  return out;
}

function normalize(field: ScalarField, value: unknown): unknown {
  switch (field.kind) {
    case 'timestamptz':
      return new Date(value as string | Date).toISOString();
    case 'numeric':
      return formatNumeric14(String(value));
    default:
      return value;
  }
}
