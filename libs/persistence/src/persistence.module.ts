import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { DatabasePool } from './database/database-pool.js';
import { ConnectionRepository } from './repositories/connection.repository.js';
import { WebhookInboxRepository } from './repositories/webhook-inbox.repository.js';
import { InboxBacklogRepository } from './repositories/inbox-backlog.repository.js';
import { CallRepository } from './repositories/call.repository.js';
import { WebhookLogRepository } from './repositories/webhook-log.repository.js';
import { ApiKeyRepository } from './repositories/api-key.repository.js';
import { AuditLogRepository } from './repositories/audit-log.repository.js';
import { CallEventRepository } from './repositories/call-event.repository.js';
import { CallReportRepository } from './repositories/call-report.repository.js';
import { CampaignRepository } from './repositories/campaign.repository.js';
import { TrackingNumberRepository } from './repositories/tracking-number.repository.js';
import { AuditLog } from './audit/audit-log.js';
import { SyncStatusRepository } from './repositories/sync-status.repository.js';
import { SyncRunRepository } from './repositories/sync-run.repository.js';

@Global()
@Module({
  providers: [
    {
      provide: DatabasePool,
      useFactory: (config: AppConfig) => new DatabasePool(config.databaseUrl, config.databasePoolSize),
      inject: [AppConfig],
    },
    ConnectionRepository,
    WebhookInboxRepository,
    InboxBacklogRepository,
    CallRepository,
    WebhookLogRepository,
    ApiKeyRepository,
    AuditLogRepository,
    AuditLog,
    CallEventRepository,
    CallReportRepository,
    CampaignRepository,
    TrackingNumberRepository,
    SyncStatusRepository,
    SyncRunRepository,
  ],
  exports: [
    DatabasePool,
    ConnectionRepository,
    WebhookInboxRepository,
    InboxBacklogRepository,
    CallRepository,
    WebhookLogRepository,
    ApiKeyRepository,
    AuditLogRepository,
    AuditLog,
    CallEventRepository,
    CallReportRepository,
    CampaignRepository,
    TrackingNumberRepository,
    SyncStatusRepository,
    SyncRunRepository,
  ],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DatabasePool) private readonly pool: DatabasePool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
