/**
 * Normalized call status. Every provider's own status or flags map onto these.
 *
 * Statuses are ordered by lifecycle stage. A call never moves to an earlier stage: a late
 * "ringing" event cannot undo "completed". Within the final stage the newest event wins,
 * because providers do correct outcomes (a "completed" call later marked "failed" by a
 * fraud check, say). The same ranks are used in SQL (see call-upsert in persistence).
 */
export const CALL_STATUSES = [
  'ringing',
  'in_progress',
  'completed',
  'missed',
  'busy',
  'failed',
  'canceled',
  'rejected',
] as const;

export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_STATUS_STAGE: Readonly<Record<CallStatus, number>> = {
  ringing: 1,
  in_progress: 2,
  completed: 3,
  missed: 3,
  busy: 3,
  failed: 3,
  canceled: 3,
  rejected: 3,
};

export function isCallStatus(value: unknown): value is CallStatus {
  return typeof value === 'string' && (CALL_STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(status: CallStatus): boolean {
  return CALL_STATUS_STAGE[status] === 3;
}
