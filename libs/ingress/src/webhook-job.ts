import type { JobsOptions } from 'bullmq';
import type { InboxRow } from '@switchboard/persistence';
import {
  MAX_ROWS_PER_WEBHOOK_JOB,
  webhookBatchJobId,
  webhookJobData,
  webhookJobOptions,
  type AnyWebhookJobData,
  type WebhookBatchJobData,
  type WebhookJobSource,
} from '@switchboard/queue';

export type { WebhookJobSource };

export interface WebhookJob {
  name: string;
  data: AnyWebhookJobData;
  opts: JobsOptions;
}

/** A job for one inbox row (see webhookJobOptions in @switchboard/queue for why the id is the row id). */
export function webhookJob(source: WebhookJobSource, maxAttempts: number): WebhookJob {
  return {
    name: source.provider,
    data: webhookJobData(source),
    opts: webhookJobOptions(source.id, maxAttempts),
  };
}

/**
 * Groups rows about to be written into jobs of at most MAX_ROWS_PER_WEBHOOK_JOB, in order: each
 * row of a group of two or more gets the group's batch job id in `jobId` (written with the row);
 * a lone row keeps none and gets a job of its own. Call before the INSERT.
 */
export function assignWebhookJobs(rows: ReadonlyArray<{ id: string; jobId?: string | null }>): void {
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_WEBHOOK_JOB) {
    const group = rows.slice(i, i + MAX_ROWS_PER_WEBHOOK_JOB);
    const jobId = group.length > 1 ? webhookBatchJobId(group[0].id) : null;
    for (const row of group) row.jobId = jobId;
  }
}

/**
 * The jobs of stored rows, in the rows' order: one per batch job id (carrying those of its rows
 * that were stored), and one per row without one.
 */
export function webhookJobsFor(
  rows: ReadonlyArray<Pick<InboxRow, 'id' | 'connectionId' | 'provider' | 'receivedAt' | 'jobId'>>,
  maxAttempts: number,
): WebhookJob[] {
  const jobs: WebhookJob[] = [];
  const batches = new Map<string, WebhookBatchJobData>();
  for (const inboxRow of rows) {
    // Only rows of a connection are queued.
    const row = inboxRow as WebhookJobSource & { jobId?: string | null };
    if (!row.jobId) {
      jobs.push(webhookJob(row, maxAttempts));
      continue;
    }
    const batch = batches.get(row.jobId);
    if (batch) {
      batch.rows.push(webhookJobData(row));
      continue;
    }
    const data: WebhookBatchJobData = { rows: [webhookJobData(row)] };
    batches.set(row.jobId, data);
    jobs.push({ name: row.provider, data, opts: webhookJobOptions(row.jobId, maxAttempts) });
  }
  return jobs;
}

/** Rejects when `promise` has not settled within `ms` (a Redis that accepts but never answers). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
