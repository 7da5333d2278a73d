import { CALL_STATUS_STAGE, type CallStatus } from '@switchboard/core';
import type { ComparedCallRow } from '@switchboard/persistence';
import { SCALAR_FIELDS, type CallEventRow, type ScalarField } from '@switchboard/pipeline';

/** One field on which the provider's record and the stored call disagree. */
export interface CallDifference {
  /** Column name (`status`, `revenue`, `ended_at`…; `tags.<key>` for a tag). */
  field: string;
  /** What Switchboard holds (null: nothing). */
  ours: unknown;
  /** What the provider's API says. */
  theirs: unknown;
}

/** provider_data always differs in shape between a webhook payload and an API record: never compared. */
const COMPARED_FIELDS = SCALAR_FIELDS.filter((f) => f.kind !== 'jsonb');

/**
 * Compares what a provider's API says about a call (as its statement row, see toCallEventRow)
 * with the stored call. Only fields the provider's record carries are compared: a field it
 * leaves out is "not known", not "empty".
 */
export function diffCall(theirs: CallEventRow, ours: ComparedCallRow): CallDifference[] {
  const differences: CallDifference[] = [];
  if (theirs.status !== null && theirs.status !== undefined && theirs.status !== ours.status) {
    differences.push({ field: 'status', ours: ours.status, theirs: theirs.status });
  }
  for (const field of COMPARED_FIELDS) {
    const incoming = theirs[field.column];
    if (incoming === null || incoming === undefined) continue;
    const stored = (ours as unknown as Record<string, unknown>)[field.column] ?? null;
    if (!sameValue(field, incoming, stored)) {
      differences.push({ field: field.column, ours: shown(stored), theirs: incoming });
    }
  }
  const tags = (theirs.tags ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(tags)) {
    const stored = ours.tags?.[key];
    if (stored !== value) differences.push({ field: `tags.${key}`, ours: stored ?? null, theirs: value });
  }
  return differences;
}

/**
 * Whether writing the provider's record would change the stored call under the merge rule: any
 * difference does, except a status of an earlier stage (the merge never moves a call back, e.g.
 * an API that still says "in_progress" for a call whose completion webhook already arrived).
 */
export function changesCall(differences: readonly CallDifference[]): boolean {
  return differences.some(
    (d) =>
      d.field !== 'status' ||
      CALL_STATUS_STAGE[d.theirs as CallStatus] >= CALL_STATUS_STAGE[d.ours as CallStatus],
  );
}

function sameValue(field: ScalarField, incoming: unknown, stored: unknown): boolean {
  if (stored === null) return false;
  switch (field.kind) {
    case 'timestamptz':
      return (
        Date.parse(String(incoming)) ===
        (stored instanceof Date ? stored.getTime() : Date.parse(String(stored)))
      );
    case 'numeric':
      return canonicalDecimal(String(incoming)) === canonicalDecimal(String(stored));
    default:
      return incoming === stored;
  }
}

function shown(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** "12.5000" and "12.5" are the same amount; "-0.00" is "0". */
export function canonicalDecimal(value: string): string {
  let text = value.trim().replace(/^\+/, '');
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  let [whole, fraction = ''] = text.split('.');
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== '0' ? `-${body}` : body;
}
