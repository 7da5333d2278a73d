import type { JobsOptions } from 'bullmq';
import type { WebhookJobData } from '@switchboard/queue';

/** What the ingress and the relay enqueue for one accepted inbox row. */
export interface WebhookJobSource {
  id: string;
  connectionId: string;
  provider: string;
  receivedAt: Date;
}

/** Name of the webhook worker's backoff strategy (registered by the pipeline's worker). */
export const WEBHOOK_BACKOFF_TYPE = 'switchboard';

export interface WebhookJob {
  name: string;
  data: WebhookJobData;
  opts: JobsOptions;
}

/**
 * One job per inbox row, with the row id as job id: BullMQ ignores an add whose id is already in
 * the queue, so a relay that enqueues a row the ingress already enqueued does nothing.
 * Retries use the worker's backoff; finished jobs are trimmed so Redis does not fill up with
 * history (webhook_logs keeps it).
 */
export function webhookJob(source: WebhookJobSource, maxAttempts: number): WebhookJob {
  return {
    name: source.provider,
    data: {
      webhookLogId: source.id,
      connectionId: source.connectionId,
      provider: source.provider,
      receivedAt: source.receivedAt.toISOString(),
    },
    opts: {
      jobId: source.id,
      attempts: maxAttempts,
      // The worker's own backoff strategy (full-jitter exponential, honours Retry-After); the same
      // options as the pipeline's replays (libs/pipeline webhookJobOptions).
      backoff: { type: WEBHOOK_BACKOFF_TYPE },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  };
}

/** Rejects when `promise` has not settled within `ms` (a Redis that accepts but never answers). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
