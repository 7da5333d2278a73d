import type { CallStatus } from '@switchboard/plugin-sdk';

/**
 * Retreaver's call `status` as documented is only ever `finished` (every official example);
 * `in_progress` appears in a third-party OpenAPI enum only. So the outcome is derived mostly from
 * the flags next to it: `connected` (V2), `converted`, `dialed_call_duration` (V1 has no
 * `connected`) and whether `end_time` is set. Values we have never seen but that a call platform
 * plausibly sends are mapped defensively rather than dropped.
 *
 * | Retreaver `status`                              | connected                       | ours          |
 * | ----------------------------------------------- | ------------------------------- | ------------- |
 * | `finished` / `completed` / `complete` / `ended` | true (or converted)             | `completed`   |
 * | same                                            | false                           | `missed`      |
 * | same                                            | unknown: dialed duration > 0    | `completed`   |
 * | same                                            | unknown: dialed duration = 0    | `missed`      |
 * | same                                            | unknown, no duration            | `completed`   |
 * | `answered` / `connected`                        | any                             | `in_progress` |
 * | `in_progress` / `in-progress` / `live` / `active`, `ringing` / `queued` / `initiated` | true | `in_progress` |
 * | same                                            | false or unknown                | `ringing`     |
 * | `busy`                                          | any                             | `busy`        |
 * | `no-answer` / `no_answer` / `unanswered` / `missed` | any                         | `missed`      |
 * | `failed` / `error`                              | any                             | `failed`      |
 * | `canceled` / `cancelled` / `abandoned`          | any                             | `canceled`    |
 * | `rejected` / `blocked`                          | any                             | `rejected`    |
 * | missing or unknown                              | `end_time` set: as `finished`; otherwise as `in_progress` |
 */
export interface StatusInput {
  status?: string;
  connected?: boolean;
  converted?: boolean;
  /** `dialed_call_duration`: seconds the caller spent connected to the target. */
  connectedSeconds?: number;
  /** Whether the record has an `end_time`. */
  ended: boolean;
}

const FINISHED = new Set(['finished', 'completed', 'complete', 'ended', 'done']);
const ANSWERED = new Set(['answered', 'connected']);
const LIVE = new Set([
  'in_progress',
  'in-progress',
  'inprogress',
  'live',
  'active',
  'ringing',
  'queued',
  'initiated',
]);
const FIXED: Record<string, CallStatus> = {
  busy: 'busy',
  'no-answer': 'missed',
  no_answer: 'missed',
  noanswer: 'missed',
  unanswered: 'missed',
  missed: 'missed',
  failed: 'failed',
  error: 'failed',
  canceled: 'canceled',
  cancelled: 'canceled',
  abandoned: 'canceled',
  rejected: 'rejected',
  blocked: 'rejected',
};

export function deriveStatus(input: StatusInput): CallStatus {
  const status = input.status?.trim().toLowerCase();
  if (status && FIXED[status]) return FIXED[status];
  const connected = input.connected ?? (input.converted ? true : undefined);
  if (status && FINISHED.has(status)) return finalOutcome(connected, input.connectedSeconds);
  if (status && ANSWERED.has(status)) return 'in_progress';
  if (status && LIVE.has(status)) return connected === true ? 'in_progress' : 'ringing';
  // Missing or unknown status: trust the timestamps and flags.
  if (input.ended) return finalOutcome(connected, input.connectedSeconds);
  return connected === true ? 'in_progress' : 'ringing';
}

function finalOutcome(connected: boolean | undefined, connectedSeconds: number | undefined): CallStatus {
  if (connected === true) return 'completed';
  if (connected === false) return 'missed';
  if (connectedSeconds !== undefined) return connectedSeconds > 0 ? 'completed' : 'missed';
  return 'completed';
}

/** Whether `status` is one deriveStatus reads (anything else falls back to the flags). */
export function isKnownStatus(status: string): boolean {
  const s = status.trim().toLowerCase();
  return s in FIXED || FINISHED.has(s) || ANSWERED.has(s) || LIVE.has(s);
}
