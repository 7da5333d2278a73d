/** Payload of a Webhooks job. Everything else is read from the webhook_logs row it names. */
export interface WebhookJobData {
  webhookLogId: string;
  connectionId: string;
  provider: string;
  /** ISO time the ingress received the request (for end-to-end lag). */
  receivedAt: string;
}

export interface SyncJobData {
  connectionId: string;
  /** "incremental" (scheduled) or "backfill". */
  kind: 'incremental' | 'backfill';
  /** Backfill window (ISO); incremental syncs compute theirs. */
  from?: string;
  to?: string;
  backfillId?: string;
}
