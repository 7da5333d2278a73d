export * from './database/database-pool.js';
export * from './persistence.module.js';
export * from './repositories/connection.repository.js';
export * from './repositories/webhook-inbox.repository.js';
export * from './repositories/inbox-backlog.repository.js';
export * from './repositories/call.repository.js';
export * from './repositories/webhook-log.repository.js';
export * from './repositories/api-key.repository.js';
export * from './repositories/audit-log.repository.js';
export * from './repositories/call-event.repository.js';
export * from './repositories/call-report.repository.js';
export * from './repositories/campaign.repository.js';
export * from './repositories/tracking-number.repository.js';
export * from './audit/audit-log.js';
export * from './repositories/sync-status.repository.js';
export * from './repositories/sync-run.repository.js';
export * from './migrations/migration-runner.js';
export type {
  Call,
  CallEvent,
  Campaign as CampaignRecord,
  ProviderConnection,
  SyncStatus,
  TrackingNumber as TrackingNumberRecord,
  WebhookLog,
  ApiKey,
} from './generated/prisma/client.js';
export {
  CallStatus as CallStatusEnum,
  ConnectionMode,
  WebhookStatus,
  SyncState,
} from './generated/prisma/enums.js';
export type { ConnectionMode as ConnectionModeValue } from './generated/prisma/enums.js';
