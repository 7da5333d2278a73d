import type { JobsOptions } from 'bullmq';
import type { WebhookJobData } from './job-payloads.js';

/** Name of the webhook worker's backoff strategy (BullMQ `backoff.type`, registered by the worker). */
export const WEBHOOK_BACKOFF = 'switchboard';

/** The inbox row a webhook job is about. */
export interface WebhookJobSource {
  id: string;
  connectionId: string;
  provider: string;
  receivedAt: Date;
}

export function webhookJobData(row: WebhookJobSource): WebhookJobData {
  return {
    webhookLogId: row.id,
    connectionId: row.connectionId,
    provider: row.provider,
    receivedAt: row.receivedAt.toISOString(),
  };
}

/**
 * Options of every webhook job — ingress, relay and replay alike. A one-row job's id is the row id
 * (a batch's, webhookBatchJobId), so BullMQ ignores an add for a job already queued (a relay racing
 * the ingress adds nothing); retries use the worker's backoff; finished jobs are trimmed
 * (webhook_logs keeps the history).
 */
export function webhookJobOptions(jobId: string, maxAttempts: number): JobsOptions {
  return {
    jobId,
    attempts: maxAttempts,
    backoff: { type: WEBHOOK_BACKOFF },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Most rows one batch job carries (an ingress INSERT of more is split). */
export const MAX_ROWS_PER_WEBHOOK_JOB = 100;

/**
 * The id of a job carrying several rows: the first row's id with a prefix, so it never equals a
 * row's own job id (a replay removes a row's job by the row id and must not hit a batch).
 */
export const webhookBatchJobId = (firstRowId: string): string => `batch-${firstRowId}`;
