/** Payload of a Webhooks job. Everything else is read from the webhook_logs row it names. */
export interface WebhookJobData {
  webhookLogId: string;
  connectionId: string;
  provider: string;
  /** ISO time the ingress received the request (for end-to-end lag). */
  receivedAt: string;
}

/**
 * Payload of a Webhooks job the ingress adds for several rows it stored in one INSERT: one job,
 * so BullMQ's cost (a Lua call to take it, one to finish it) is paid once per batch. Each row still
 * has its own outcome in webhook_logs; the job retries as a unit, and a retry skips the rows an
 * earlier attempt settled.
 */
export interface WebhookBatchJobData {
  rows: WebhookJobData[];
}

/** What the webhook worker accepts: a job for one row (relay, replay, quiet ingress) or a batch. */
export type AnyWebhookJobData = WebhookJobData | WebhookBatchJobData;

export const isWebhookBatch = (data: AnyWebhookJobData): data is WebhookBatchJobData =>
  Array.isArray((data as WebhookBatchJobData).rows);

/**
 * Payload of a Sync job: a connection's scheduled sync ("incremental", from a job scheduler or
 * "sync now"), or an operator-started run (backfill, recovery, consistency check, parallel-run
 * report) whose state lives in its `sync_runs` row.
 */
export type SyncJobData =
  | { kind: 'incremental'; connectionId: string }
  /** From a job scheduler: start a consistency check of the last CONSISTENCY_CHECK_WINDOW_SECONDS. */
  | { kind: 'scheduled-check'; connectionId: string }
  | { kind: 'run'; runId: string; connectionId: string };
