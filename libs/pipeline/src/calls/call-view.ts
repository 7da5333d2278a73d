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

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toCallView(row: CallRow): CallView {
  return {
    version: row.version,
    id: row.id,
    connectionId: row.connection_id,
    provider: row.provider,
    externalId: row.external_id,
    status: row.status,
    campaignExternalId: row.campaign_external_id,
    campaignName: row.campaign_name,
    trackingNumber: row.tracking_number,
    callerNumber: row.caller_number,
    destinationNumber: row.destination_number,
    startedAt: iso(row.started_at),
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    durationSeconds: row.duration_seconds,
    connectedDurationSeconds: row.connected_duration_seconds,
    recordingUrl: row.recording_url,
    converted: row.converted,
    revenue: row.revenue,
    payout: row.payout,
    cost: row.cost,
    tags: row.tags ?? {},
    providerData: row.provider_data ?? {},
    lastEventAt: row.last_event_at.toISOString(),
    lastSyncedAt: iso(row.last_synced_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
