import {
  MappingError,
  readDate,
  readDecimal,
  readInteger,
  readString,
  toE164,
  type CallEventType,
  type CallStatus,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
} from '@switchboard/plugin-sdk';

const PROVIDER = 'starter';

/** The provider's statuses -> ours. Document this table in the README; unknown values keep the previous status. */
const STATUS: Record<string, CallStatus> = {
  ringing: 'ringing',
  answered: 'in_progress',
  completed: 'completed',
  'no-answer': 'missed',
  busy: 'busy',
  failed: 'failed',
};

/** Our trigger (the `event` query parameter the templates add) -> normalized event type. */
export const TRIGGERS: Record<string, CallEventType> = {
  incoming: 'call.started',
  answered: 'call.answered',
  completed: 'call.completed',
};

/** One call record of the provider's API (or webhook body) -> the normalized call. */
export function mapCall(record: Record<string, unknown>): NormalizedCall {
  const externalId = readString(record.id);
  if (!externalId) throw new MappingError(PROVIDER, 'call has no "id"', 'id');
  const status = readString(record.status);
  return {
    externalId,
    status: status ? STATUS[status] : undefined,
    campaignExternalId: readString(record.campaign_id),
    callerNumber: toE164(record.caller),
    trackingNumber: toE164(record.tracking_number),
    destinationNumber: toE164(record.destination),
    startedAt: readDate(record.started_at),
    answeredAt: readDate(record.answered_at),
    endedAt: readDate(record.ended_at),
    durationSeconds: readInteger(record.duration),
    revenue: readDecimal(record.revenue),
    payout: readDecimal(record.payout),
    recordingUrl: readString(record.recording_url),
    providerData: record,
  };
}

/** A webhook (JSON body, or query parameters for GET pixels) -> a call event. */
export function mapWebhook(request: InboundWebhook): NormalizedCallEvent {
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
    string,
    unknown
  >;
  const fields = { ...request.query, ...body } as Record<string, unknown>;
  const trigger = readString(fields.event) ?? 'updated';
  const call = mapCall(fields);
  return {
    type: TRIGGERS[trigger] ?? 'call.updated',
    occurredAt: readDate(fields.occurred_at) ?? request.receivedAt,
    eventId: `${call.externalId}:${trigger}`,
    call,
  };
}
