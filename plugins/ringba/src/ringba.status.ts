import type { CallStatus } from '@switchboard/plugin-sdk';

/**
 * What Ringba says about a call's outcome. Ringba has no status enum: the outcome is spread over
 * flags and reason columns of the call log (R1), so the status is derived from them [I].
 */
export interface RingbaOutcome {
  isLive?: boolean;
  hasConnected?: boolean;
  hasPreviouslyConnected?: boolean;
  connectedSeconds?: number;
  isIncomplete?: boolean;
  incompleteCallReason?: string;
  blockReason?: string;
  endCallSource?: string;
}

/**
 * Free-text incomplete reasons, first match wins. Ringba does not publish the list of values [I];
 * anything not recognised is "failed".
 */
export const INCOMPLETE_REASON_RULES: ReadonlyArray<readonly [RegExp, CallStatus]> = [
  [/busy/i, 'busy'],
  [/block|reject|spam|duplicate|denied|filtered/i, 'rejected'],
  [/no (available )?(target|buyer)|capacity|\bcap\b|closed|hours|no route|unavailable/i, 'missed'],
  [/no[- ]?answer|not answered|unanswered|time ?out|timed out/i, 'missed'],
  [/hang|hung|abandon|caller/i, 'canceled'],
];

/**
 * Derives our status from Ringba's flags (the table in the plugin README):
 *
 * | isLive | connected* | blockReason | incomplete** | endCallSource | status      |
 * |--------|------------|-------------|--------------|---------------|-------------|
 * | true   | yes        | -           | -            | -             | in_progress |
 * | true   | no         | -           | -            | -             | ringing     |
 * | false  | -          | set         | -            | -             | rejected    |
 * | false  | yes        | -           | -            | -             | completed   |
 * | false  | no         | -           | yes          | -             | by reason   |
 * | false  | no         | -           | no           | Caller        | canceled    |
 * | false  | no         | -           | no           | other/none    | missed      |
 *
 * \* hasConnected, hasPreviouslyConnected or connectedCallLengthInSeconds > 0.
 * \** isIncomplete, or an incompleteCallReason, mapped by INCOMPLETE_REASON_RULES (default failed).
 *
 * Returns undefined when the input says too little (a pixel that carries no flags).
 */
export function deriveRingbaStatus(outcome: RingbaOutcome): CallStatus | undefined {
  const connected =
    outcome.hasConnected === true ||
    outcome.hasPreviouslyConnected === true ||
    (outcome.connectedSeconds ?? 0) > 0;
  if (outcome.isLive === true) return connected ? 'in_progress' : 'ringing';
  if (outcome.blockReason) return 'rejected';
  if (connected) return 'completed';
  if (outcome.isIncomplete === true || outcome.incompleteCallReason) {
    return statusFromIncompleteReason(outcome.incompleteCallReason);
  }
  // Without isLive or hasConnected nothing says the call ended unanswered.
  if (outcome.isLive === undefined && outcome.hasConnected === undefined) return undefined;
  if (outcome.endCallSource && /^caller$/i.test(outcome.endCallSource)) return 'canceled';
  return 'missed';
}

export function statusFromIncompleteReason(reason: string | undefined): CallStatus {
  if (reason) {
    for (const [pattern, status] of INCOMPLETE_REASON_RULES) if (pattern.test(reason)) return status;
  }
  return 'failed';
}
