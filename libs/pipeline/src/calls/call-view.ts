import type { CallStatus } from '@switchboard/core';
import type { CallRow } from '@switchboard/persistence';

/**
 * A call as the API, the cache and the live stream show it: the normalized call, money as decimal
 * strings ("12.5000"), times as ISO strings. `version` comes first so the cache can compare
 * versions without parsing the whole value.
 */
export interface CallView {
  version: number;
  id: string;
  connectionId: string;
  provider: string;
  externalId: string;
  status: CallStatus;
  campaignExternalId: string | null;
  campaignName: string | null;
  trackingNumber: string | null;
  callerNumber: string | null;
  destinationNumber: string | null;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  connectedDurationSeconds: number | null;
  recordingUrl: string | null;
  converted: boolean | null;
  revenue: string | null;
  payout: string | null;
  cost: string | null;
  tags: Record<string, string>;
  providerData: Record<string, unknown>;
  lastEventAt: string;
  lastSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type ViewKind = 'plain' | 'time' | 'money' | 'json';

/**
 * The view's fields in order (the order is part of the cached JSON: `version` first), with the
 * column each comes from. Both toCallView (rows read in Node) and CALL_VIEW_JSON (the worker's
 * statement builds the JSON in PostgreSQL, so Node neither parses nor re-serializes stored calls)
 * are generated from this list, so the two cannot drift apart.
 */
const VIEW_FIELDS: ReadonlyArray<readonly [keyof CallView, keyof CallRow, ViewKind]> = [
  ['version', 'version', 'plain'],
  ['id', 'id', 'plain'],
  ['connectionId', 'connection_id', 'plain'],
  ['provider', 'provider', 'plain'],
  ['externalId', 'external_id', 'plain'],
  ['status', 'status', 'plain'],
  ['campaignExternalId', 'campaign_external_id', 'plain'],
  ['campaignName', 'campaign_name', 'plain'],
  ['trackingNumber', 'tracking_number', 'plain'],
  ['callerNumber', 'caller_number', 'plain'],
  ['destinationNumber', 'destination_number', 'plain'],
  ['startedAt', 'started_at', 'time'],
  ['answeredAt', 'answered_at', 'time'],
  ['endedAt', 'ended_at', 'time'],
  ['durationSeconds', 'duration_seconds', 'plain'],
  ['connectedDurationSeconds', 'connected_duration_seconds', 'plain'],
  ['recordingUrl', 'recording_url', 'plain'],
  ['converted', 'converted', 'plain'],
  ['revenue', 'revenue', 'money'],
  ['payout', 'payout', 'money'],
  ['cost', 'cost', 'money'],
  ['tags', 'tags', 'json'],
  ['providerData', 'provider_data', 'json'],
  ['lastEventAt', 'last_event_at', 'time'],
  ['lastSyncedAt', 'last_synced_at', 'time'],
  ['createdAt', 'created_at', 'time'],
  ['updatedAt', 'updated_at', 'time'],
];

/** A stored call as its view. Times to ISO with milliseconds (as JavaScript prints them). */
export function toCallView(row: CallRow): CallView {
  const view: Record<string, unknown> = {};
  for (const [key, column, kind] of VIEW_FIELDS) {
    const value = row[column];
    if (kind === 'time') view[key] = value instanceof Date ? value.toISOString() : null;
    else if (kind === 'json') view[key] = value ?? {};
    else view[key] = value ?? null;
  }
  return view as unknown as CallView;
}

/**
 * The same view as JSON text, built by PostgreSQL from the row aliased `alias`: identical field
 * order and values to JSON.stringify(toCallView(row)) (timestamps truncated to milliseconds like a
 * JavaScript Date, money as numeric text).
 */
export function callViewJsonSql(alias: string): string {
  const parts = VIEW_FIELDS.map(([key, column, kind]) => {
    const expr = `${alias}.${column}`;
    const value =
      kind === 'time'
        ? `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : kind === 'money'
          ? `${expr}::text`
          : kind === 'json'
            ? `COALESCE(${expr}, '{}'::jsonb)`
            : expr;
    return `'${key}', ${value}`;
  });
  return `json_build_object(${parts.join(', ')})::text`;
}
