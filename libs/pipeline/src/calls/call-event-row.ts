import { MappingError, isCallStatus, type NormalizedCallEvent } from '@switchboard/core';
import { SCALAR_FIELDS, type ScalarField } from './call-fields.js';

/** Where a call event came from: a webhook (with its inbox row) or a sync of the provider's API. */
export type CallEventSource = 'webhook' | 'sync';

/** One normalized event to store, with what the pipeline knows about its origin. */
export interface CallEventInput {
  connectionId: string;
  provider: string;
  source: CallEventSource;
  /** The webhook_logs row it came from; its call_events row is unique on it. */
  webhookLogId?: string;
  /**
   * That row's created_at, exactly (text, microseconds): the partition key of both webhook_logs and
   * call_events, so the statements probe one partition. Without it they look the row up.
   */
  webhookLogCreatedAt?: string;
  event: NormalizedCallEvent;
}

/** The JSON shape one event takes in the batch statement's $1 (keys = columns of CALL_UPSERT_SQL's input). */
export type CallEventRow = Record<string, unknown>;

/** Keys of a CallEventRow that describe the delivery, not the call (left out of call_events.data). */
const DELIVERY_KEYS = new Set([
  'webhook_log_id',
  'webhook_log_created_at',
  'connection_id',
  'provider',
  'source',
  'event_type',
  'occurred_at',
  't',
]);

/** What call_events.data keeps of an event: the normalized call as that event told it (nulls dropped). */
export function eventData(row: CallEventRow): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  // for-in, not Object.entries: no array of pairs per event (the worker calls this for every event).
  for (const key in row) {
    const value = row[key];
    if (DELIVERY_KEYS.has(key) || value === null || value === undefined) continue;
    if (key === 'tags' && Object.keys(value as object).length === 0) continue;
    data[key] = value;
  }
  return data;
}

/**
 * An event as CALL_STORE_SQL's $1 takes it: the delivery keys at the top, the call as the event
 * told it under `data` — which is also what call_events.data keeps, so it is serialized once.
 */
export function eventElement(row: CallEventRow): Record<string, unknown> {
  return {
    webhook_log_id: row.webhook_log_id,
    webhook_log_created_at: row.webhook_log_created_at,
    connection_id: row.connection_id,
    provider: row.provider,
    source: row.source,
    event_type: row.event_type,
    t: row.t,
    occurred_at: row.occurred_at,
    data: eventData(row),
  };
}

/**
 * An event ready for CALL_STORE_SQL: its element (eventElement) already as JSON text, and the few
 * keys the caller reads back. A worker turns each mapped event into one as soon as it is mapped,
 * so the payload's object tree dies young instead of living through the statement's round trip
 * (the GC's old generation filled with them; a flat string is cheap to keep).
 */
export interface SerializedCallEvent {
  readonly element: string;
  readonly connectionId: string;
  readonly externalId: string;
  readonly provider: string;
  readonly webhookLogId: string | null;
  readonly eventType: string;
  readonly occurredAt: string;
}

export function serializeCallEvent(row: CallEventRow): SerializedCallEvent {
  return {
    element: JSON.stringify(eventElement(row)),
    connectionId: String(row.connection_id),
    externalId: String(row.external_id),
    provider: String(row.provider),
    webhookLogId: (row.webhook_log_id as string | null) ?? null,
    eventType: String(row.event_type),
    occurredAt: String(row.occurred_at),
  };
}

const NUMERIC_14_4 = /^-?\d{1,10}(\.\d+)?$/;
const MAX_INT = 2_147_483_647;

/**
 * Turns an event into its statement row, refusing values the columns cannot hold (so one bad
 * event fails alone with a clear reason instead of failing its batch in SQL).
 * Throws MappingError: the data will not change, so retrying cannot help.
 */
export function toCallEventRow(input: CallEventInput): CallEventRow {
  const { event, provider } = input;
  const call = event.call;
  const fail = (field: string, problem: string) => new MappingError(provider, `${field} ${problem}`, field);
  if (typeof call?.externalId !== 'string' || call.externalId.length === 0)
    throw fail('externalId', 'is missing');
  if (call.externalId.length > 255) throw fail('externalId', 'is longer than 255 characters');
  if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
    throw fail('occurredAt', 'is not a valid time');
  }
  if (call.status !== undefined && !isCallStatus(call.status))
    throw fail('status', `"${String(call.status)}" is not a call status`);
  if (typeof event.type !== 'string' || event.type.length > 100)
    throw fail('type', 'is not a valid event type');

  // A text longer than its column is a value present but unusable: the call is stored without it,
  // and the event carries a warning saying so (the caller counts and records event.warnings).
  for (const field of SCALAR_FIELDS) {
    const value = field.read(call);
    if (
      field.kind === 'text' &&
      typeof value === 'string' &&
      field.maxLength !== undefined &&
      value.length > field.maxLength
    ) {
      event.warnings = [
        ...(event.warnings ?? []),
        {
          field: field.column,
          reason: `longer than ${field.maxLength} characters; not stored`,
          value: value.slice(0, 80),
        },
      ];
    }
  }
  const row: CallEventRow = {
    webhook_log_id: input.webhookLogId ?? null,
    webhook_log_created_at: input.webhookLogCreatedAt ?? null,
    connection_id: input.connectionId,
    provider,
    external_id: call.externalId,
    event_id: event.eventId ?? null,
    event_type: event.type,
    source: input.source,
    occurred_at: event.occurredAt.toISOString(),
    t: event.occurredAt.getTime(),
    status: call.status ?? null,
    tags: objectOrEmpty(call.tags),
    // Kept in call_events.data (eventData keeps every non-delivery key); the upsert ignores it.
    mapping_warnings: event.warnings && event.warnings.length > 0 ? event.warnings : null,
  };
  for (const field of SCALAR_FIELDS) row[field.column] = storable(field, field.read(call), fail);
  return row;
}

function storable(
  field: ScalarField,
  value: unknown,
  fail: (field: string, problem: string) => Error,
): unknown {
  if (value === undefined || value === null) return null;
  switch (field.kind) {
    case 'text':
      if (typeof value !== 'string') throw fail(field.column, 'is not text');
      // Too long: left out, with the warning added by toCallEventRow.
      return field.maxLength !== undefined && value.length > field.maxLength ? null : value;
    case 'timestamptz':
      if (!(value instanceof Date) || Number.isNaN(value.getTime()))
        throw fail(field.column, 'is not a valid time');
      return value.toISOString();
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > MAX_INT) {
        throw fail(field.column, 'is not a whole number in range');
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw fail(field.column, 'is not true or false');
      return value;
    case 'numeric':
      if (typeof value !== 'string' || !NUMERIC_14_4.test(value)) {
        throw fail(field.column, 'is not a decimal amount with at most 10 integer digits');
      }
      return value;
    case 'jsonb': {
      const object = objectOrEmpty(value);
      return Object.keys(object).length > 0 ? object : null;
    }
  }
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
