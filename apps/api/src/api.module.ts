import { Module, type DynamicModule } from '@nestjs/common';
import { CacheModule } from '@switchboard/cache';
import { AppConfig, AppConfigModule } from '@switchboard/config';
import { ConnectionsModule } from '@switchboard/connections';
import { PluginsModule, type DiscoveryResult } from '@switchboard/core';
import { CryptoModule } from '@switchboard/crypto';
import { HealthModule } from '@switchboard/health';
import { IngressModule } from '@switchboard/ingress';
import { LoggingModule } from '@switchboard/logging';
import { MetricsModule } from '@switchboard/metrics';
import { PersistenceModule } from '@switchboard/persistence';
import { QueueModule } from '@switchboard/queue';
import { AuthModule } from './auth/auth.module.js';
import { CallsModule } from './calls/calls.module.js';
import { ConnectionsController } from './connections/connections.controller.js';
import { PluginsController } from './plugins/plugins.controller.js';
import { WebhookLogsModule } from './webhook-logs/webhook-logs.module.js';

/** The API process: infrastructure modules from libs, plus thin controllers. */
@Module({})
export class ApiModule {
  static register(config: AppConfig, discovery: DiscoveryResult): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(),
        PluginsModule.forRoot({ discovery }),
        PersistenceModule,
        CacheModule,
        QueueModule.forRoot(),
        MetricsModule,
        CryptoModule,
        ConnectionsModule,
        HealthModule,
        AuthModule,
        IngressModule,
        CallsModule,
        WebhookLogsModule,
      ],
      controllers: [PluginsController, ConnectionsController],
    };
  }
}
