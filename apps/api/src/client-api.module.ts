import { Module } from '@nestjs/common';
import { PipelineApiModule } from '@switchboard/pipeline';
import { ApiKeysController } from './api-keys/api-keys.controller.js';
import { AuditLogController } from './audit/audit-log.controller.js';
import { CatalogController } from './catalog/catalog.controller.js';
import { CatalogService } from './catalog/catalog.service.js';
import { ConnectionsController } from './connections/connections.controller.js';
import { ReportsController } from './reports/reports.controller.js';

/**
 * Operator and host-application routes beyond calls and webhook logs: connections, API keys,
 * the audit log, campaigns and numbers, reports.
 */
@Module({
  imports: [PipelineApiModule],
  controllers: [
    ConnectionsController,
    ApiKeysController,
    AuditLogController,
    CatalogController,
    ReportsController,
  ],
  providers: [CatalogService],
})
export class ClientApiModule {}
