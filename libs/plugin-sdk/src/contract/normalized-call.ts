import type { CallStatus } from './call-status.js';

/** Decimal amounts travel as strings ("12.5000") so no float ever touches money. */
export type DecimalString = string;

/**
 * One call as Switchboard stores it, whatever the provider. Fields a provider did not send are
 * left undefined (not null) so a partial event never blanks a field another event filled.
 */
export interface NormalizedCall {
  /** The provider's id of the call (Ringba inboundCallId, Retreaver uuid, TrackDrive uuid). */
  externalId: string;
  status?: CallStatus;
  campaignExternalId?: string;
  campaignName?: string;
  /** Tracking number dialed by the caller, E.164. */
  trackingNumber?: string;
  /** Caller id, E.164. */
  callerNumber?: string;
  /** Where the call was sent (buyer/target), E.164. */
  destinationNumber?: string;
  startedAt?: Date;
  answeredAt?: Date;
  endedAt?: Date;
  durationSeconds?: number;
  connectedDurationSeconds?: number;
  recordingUrl?: string;
  converted?: boolean;
  revenue?: DecimalString;
  payout?: DecimalString;
  cost?: DecimalString;
  tags?: Record<string, string>;
  /** The provider's original record or payload, untouched. */
  providerData: Record<string, unknown>;
}

export const CALL_EVENT_TYPES = [
  'call.started',
  'call.answered',
  'call.completed',
  'call.converted',
  'call.payout',
  'call.recording',
  'call.updated',
] as const;

export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

/**
 * A value the payload carried but the mapper could not use (bad money, bad date, negative
 * duration, unsafe URL, unknown status...). The call is stored with what is valid; the warning
 * travels with the event so the operator sees what was dropped and why.
 */
export interface MappingWarning {
  /** Normalized field the value was meant for ("revenue", "startedAt", "status"...). */
  field: string;
  /** The payload key the value came from ("conversionAmount"), when known. */
  source?: string;
  /** Why it was not used, in plain words. */
  reason: string;
  /** The raw value as text, truncated (never a secret: secret keys are never read into fields). */
  value: string;
}

/** What a webhook (or a synced record) says about a call at one moment. */
export interface NormalizedCallEvent {
  type: CallEventType;
  /** When the provider says this happened; decides which of two events is newer. */
  occurredAt: Date;
  /** The provider's event id when the payload carries one (used to drop redeliveries). */
  eventId?: string;
  call: NormalizedCall;
  /** Values present in the payload but unusable; absent when everything mapped. */
  warnings?: MappingWarning[];
}

export interface Campaign {
  externalId: string;
  name: string;
  isActive?: boolean;
  providerData: Record<string, unknown>;
}

export interface TrackingNumber {
  externalId: string;
  /** E.164 */
  number: string;
  campaignExternalId?: string;
  isTollFree?: boolean;
  providerData: Record<string, unknown>;
}

export interface NumberOptions {
  countryCode?: string;
  areaCode?: string;
  tollFree?: boolean;
  campaignExternalId?: string;
  /** Provider-specific extras (Retreaver afid/cid, Ringba chargeAccountIfNeeded...). */
  extra?: Record<string, unknown>;
}

export interface CallFilters {
  /** Inclusive start of the window, by call start (or creation) time. */
  from: Date;
  /** Exclusive end of the window. */
  to: Date;
  campaignExternalId?: string;
  /** Page size hint; the plugin caps it at what the provider allows. */
  pageSize?: number;
}

export interface CallPage {
  calls: NormalizedCall[];
  /** Opaque cursor for the next page; undefined when this was the last page. */
  nextCursor?: string;
  /** Total matching records when the provider says so. */
  total?: number;
  /** Rows of this page that could not be mapped, with which row and why (none when all mapped). */
  skipped?: SkippedRow[];
}

/** A provider row left out of a page: its position on the page, its id when it had one, and why. */
export interface SkippedRow {
  index: number;
  externalId?: string;
  reason: string;
}

/** Fields a host may push back to the provider (conversion / revenue postbacks). */
export interface CallUpdate {
  converted?: boolean;
  revenue?: DecimalString;
  payout?: DecimalString;
  tags?: Record<string, string>;
}

export interface CallReport {
  from: Date;
  to: Date;
  totalCalls: number;
  connectedCalls: number;
  convertedCalls: number;
  revenue: DecimalString;
  payout: DecimalString;
  /** Per-campaign rows when the provider reports them. */
  byCampaign?: Array<{
    campaignExternalId: string;
    campaignName?: string;
    calls: number;
    converted: number;
    revenue: DecimalString;
    payout: DecimalString;
  }>;
  providerData?: Record<string, unknown>;
}
