import type { JobsOptions } from 'bullmq';
import {
  webhookJobData,
  webhookJobOptions,
  type WebhookJobData,
  type WebhookJobSource,
} from '@switchboard/queue';

export type { WebhookJobSource };

export interface WebhookJob {
  name: string;
  data: WebhookJobData;
  opts: JobsOptions;
}

/** One job per inbox row (see webhookJobOptions in @switchboard/queue for why the id is the row id). */
export function webhookJob(source: WebhookJobSource, maxAttempts: number): WebhookJob {
  return {
    name: source.provider,
    data: webhookJobData(source),
    opts: webhookJobOptions(source.id, maxAttempts),
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
