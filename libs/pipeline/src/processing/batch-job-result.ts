import { UnrecoverableError } from 'bullmq';
import type { WebhookOutcome } from './webhook-batch.processor.js';

/** What a batch job returns: how its rows came out (each row's own outcome is on its webhook_logs row). */
export interface BatchJobResult {
  processed: number;
  duplicates: number;
  ignored: number;
  /** Settled by an earlier attempt of this job. */
  settled: number;
}

/**
 * A batch job completes when none of its rows failed; otherwise it throws, so BullMQ retries the
 * whole job (rows settled by this attempt are skipped next time) — or, when no failed row can
 * succeed on a retry, fails it for good (every failed row is already recorded as failed).
 */
export function batchJobResult(outcomes: readonly WebhookOutcome[]): BatchJobResult {
  const result: BatchJobResult = { processed: 0, duplicates: 0, ignored: 0, settled: 0 };
  const failures: Array<Extract<WebhookOutcome, { status: 'failed' }>> = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'processed') {
      if (outcome.duplicate) result.duplicates++;
      else result.processed++;
    } else if (outcome.status === 'ignored') result.ignored++;
    else if (outcome.status === 'settled') result.settled++;
    else failures.push(outcome);
  }
  if (failures.length === 0) return result;
  const retryable = failures.filter((f) => f.retryable);
  const message = `${failures.length} of ${outcomes.length} webhooks failed (${retryable.length} may succeed on a retry): ${(retryable[0] ?? failures[0]).error}`;
  throw retryable.length > 0 ? new Error(message) : new UnrecoverableError(message);
}
