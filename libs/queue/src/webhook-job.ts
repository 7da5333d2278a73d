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
 * Options of every webhook job — ingress, relay and replay alike. The row id is the job id, so
 * BullMQ ignores an add for a row already queued (a relay racing the ingress adds nothing); retries
 * use the worker's backoff; finished jobs are trimmed (webhook_logs keeps the history).
 */
export function webhookJobOptions(webhookLogId: string, maxAttempts: number): JobsOptions {
  return {
    jobId: webhookLogId,
    attempts: maxAttempts,
    backoff: { type: WEBHOOK_BACKOFF },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
