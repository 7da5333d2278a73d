/** BullMQ queues. Names are part of Redis keys: changing one orphans jobs already queued. */
export const QueueName = {
  /** One job per accepted webhook; job id = webhook_logs.id. */
  Webhooks: 'webhooks',
  /** Scheduled incremental syncs and backfills, per connection. */
  Sync: 'sync',
  /** Relay of inbox rows that missed their enqueue, retention and other housekeeping. */
  Maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);
