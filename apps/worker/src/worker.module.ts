import { Module, type DynamicModule } from '@nestjs/common';
import { CacheModule } from '@switchboard/cache';
import { AppConfig, AppConfigModule } from '@switchboard/config';
import { ConnectionsModule } from '@switchboard/connections';
import { PluginsModule, type DiscoveryResult } from '@switchboard/core';
import { CryptoModule } from '@switchboard/crypto';
import { HealthModule } from '@switchboard/health';
import { InboxRelayModule } from '@switchboard/ingress';
import { LoggingModule } from '@switchboard/logging';
import { MetricsModule } from '@switchboard/metrics';
import { PersistenceModule } from '@switchboard/persistence';
import { QueueModule } from '@switchboard/queue';

/** The worker process: queue processors from libs, plus /health and /metrics on WORKER_PORT. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig, discovery: DiscoveryResult): DynamicModule {
    return {
      module: WorkerModule,
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
        InboxRelayModule,
      ],
    };
  }
}
