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
import { PipelineWorkerModule, type WebhookWorkerOptions } from '@switchboard/pipeline';
import { QueueModule } from '@switchboard/queue';

/** Test hooks for the worker (production uses the defaults). */
export interface WorkerAppOptions {
  pipeline?: WebhookWorkerOptions;
}

/** The worker process: queue processors from libs, plus /health and /metrics on WORKER_PORT. */
@Module({})
export class WorkerModule {
  static register(
    config: AppConfig,
    discovery: DiscoveryResult,
    options: WorkerAppOptions = {},
  ): DynamicModule {
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
        PipelineWorkerModule.register(config, options.pipeline),
      ],
    };
  }
}
