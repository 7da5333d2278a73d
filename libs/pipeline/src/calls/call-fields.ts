import type { NormalizedCall } from '@switchboard/core';

/** How a scalar field is stored and compared when two events disagree. */
export type ScalarKind = 'text' | 'timestamptz' | 'integer' | 'boolean' | 'numeric' | 'jsonb';

export interface ScalarField {
  /** Column of `calls` (also the key of the field in `calls.field_times` and in the batch JSON). */
  column: string;
  kind: ScalarKind;
  /** Longest value the column accepts (varchar limits), checked before SQL runs. */
  maxLength?: number;
  read(call: NormalizedCall): unknown;
}

/**
 * The normalized call's single-valued fields in `calls`, other than status. Each merges by the rule
 * "newest non-null value wins" (see docs/pipeline.md): of all events that carried the field, the
 * one with the greatest (occurredAt, value) supplies it. The same list drives the SQL, the
 * reference model and the view, so a new field is added in one place.
 */
export const SCALAR_FIELDS: readonly ScalarField[] = [
  { column: 'campaign_external_id', kind: 'text', maxLength: 255, read: (c) => c.campaignExternalId },
  { column: 'campaign_name', kind: 'text', maxLength: 255, read: (c) => c.campaignName },
  { column: 'tracking_number', kind: 'text', maxLength: 32, read: (c) => c.trackingNumber },
  { column: 'caller_number', kind: 'text', maxLength: 32, read: (c) => c.callerNumber },
  { column: 'destination_number', kind: 'text', maxLength: 32, read: (c) => c.destinationNumber },
  { column: 'started_at', kind: 'timestamptz', read: (c) => c.startedAt },
  { column: 'answered_at', kind: 'timestamptz', read: (c) => c.answeredAt },
  { column: 'ended_at', kind: 'timestamptz', read: (c) => c.endedAt },
  { column: 'duration_seconds', kind: 'integer', read: (c) => c.durationSeconds },
  { column: 'connected_duration_seconds', kind: 'integer', read: (c) => c.connectedDurationSeconds },
  { column: 'recording_url', kind: 'text', read: (c) => c.recordingUrl },
  { column: 'converted', kind: 'boolean', read: (c) => c.converted },
  { column: 'revenue', kind: 'numeric', read: (c) => c.revenue },
  { column: 'payout', kind: 'numeric', read: (c) => c.payout },
  { column: 'cost', kind: 'numeric', read: (c) => c.cost },
  // The newest payload as a whole (each event's own payload stays in call_events.data); an empty
  // object counts as "not carried".
  { column: 'provider_data', kind: 'jsonb', read: (c) => c.providerData },
];

/** JSON-object fields merged key by key with the same rule (per-key times under the field's name). */
export const MAP_FIELDS = ['tags'] as const;
export type MapField = (typeof MAP_FIELDS)[number];

/** Time recorded for the status a new call gets by default (no event said anything yet): never wins. */
export const DEFAULT_STATUS_TIME = 0;
