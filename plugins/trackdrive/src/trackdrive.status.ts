import type { CallStatus } from '@switchboard/plugin-sdk';

/**
 * TrackDrive's call statuses (support article "Call Lifecycle and Status Values", the complete
 * list) and what each means for us. `in_progress` means the caller is connected to a buyer or
 * agent; a caller still in the IVR, hold queue or being routed is `ringing`.
 *
 * Final outcomes split by who ended the call:
 * - missed: nobody picked up (no answer, voicemail, hold queue timed out)
 * - canceled: the caller gave up (hung up in IVR, in queue, while the buyer rang; opted out)
 * - rejected: TrackDrive refused to place the call (blocked, caps, filters, closed, no buyer)
 * - failed: the call could not be placed (invalid number, no route)
 */
export const TRACKDRIVE_STATUS_MAP: Readonly<Record<string, CallStatus>> = {
  // live
  initiated: 'ringing',
  'calling-leads': 'ringing',
  'on-hold': 'ringing',
  waiting: 'ringing',
  established: 'in_progress',
  forwarded: 'in_progress',
  // final
  finished: 'completed',
  'no-answer': 'missed',
  'no-answer-convert-on-attempt': 'missed',
  busy: 'busy',
  failed: 'failed',
  canceled: 'canceled',
  cancelled: 'canceled',
  'caller-hung-up': 'canceled',
  'caller-hung-up-while-ringing-buyer': 'canceled',
  'no-buyer': 'rejected',
  'no-buyer-all-filtered': 'rejected',
  'no-buyer-prevent-dupes': 'rejected',
  'hold-queue-no-buyer': 'rejected',
  'hold-queue-waited-too-long': 'missed',
  'hold-queue-hung-up': 'canceled',
  'ivr-hung-up': 'canceled',
  'ivr-no-keypress': 'canceled',
  rejected: 'rejected',
  'rejected-caller-concurrency-exceeded': 'rejected',
  'rejected-ivr-hang-up': 'rejected',
  'rejected-no-concurrency-cap-available': 'rejected',
  'rejected-traffic-source-capped-hang-up': 'rejected',
  blocked: 'rejected',
  'invalid-number': 'failed',
  'no-route-to-destination': 'failed',
  'not-open': 'rejected',
  'opt-out': 'canceled',
  voicemail: 'missed',
  'voicemail-detected': 'missed',
  'left-voicemail': 'missed',
  'added-to-schedule': 'missed',
};

/**
 * Families TrackDrive extends with suffixes (`caller-hung-up*`, `no-buyer*`, `hold-queue-*`,
 * `ivr-*`, `rejected*`, `voicemail*`); a value we have not seen yet still lands somewhere sensible.
 * Longest prefix first.
 */
export const TRACKDRIVE_STATUS_PREFIXES: ReadonlyArray<readonly [string, CallStatus]> = [
  ['caller-hung-up', 'canceled'],
  ['hold-queue-', 'missed'],
  ['voicemail', 'missed'],
  ['no-answer', 'missed'],
  ['rejected', 'rejected'],
  ['no-buyer', 'rejected'],
  ['ivr-', 'canceled'],
];

/** Maps a TrackDrive status (any case, `_` or `-`) to ours; undefined when it is not a known value. */
export function mapTrackDriveStatus(value: string | undefined): CallStatus | undefined {
  if (!value) return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
  const exact = TRACKDRIVE_STATUS_MAP[key];
  if (exact) return exact;
  for (const [prefix, status] of TRACKDRIVE_STATUS_PREFIXES) {
    if (key.startsWith(prefix)) return status;
  }
  return undefined;
}
