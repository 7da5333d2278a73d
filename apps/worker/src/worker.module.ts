import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@switchboard/config';
import type { DiscoveryResult } from '@switchboard/core';
import { HealthModule } from '@switchboard/health';
import { InboxRelayModule } from '@switchboard/ingress';
import { MaintenanceModule, type MaintenanceSchedule } from '@switchboard/maintenance';
import { PipelineWorkerModule, type WebhookWorkerOptions } from '@switchboard/pipeline';
import { PlatformModule } from '@switchboard/platform';
import { SyncWorkerModule } from '@switchboard/sync';

/** Test hooks for the worker (production uses the defaults). */
export interface WorkerAppOptions {
  pipeline?: WebhookWorkerOptions;
  /** How often the maintenance tasks run (tests shorten it). */
  maintenance?: Partial<MaintenanceSchedule>;
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
        PlatformModule.forRoot({ config, discovery }),
        HealthModule,
        InboxRelayModule,
        PipelineWorkerModule.register(config, options.pipeline),
        SyncWorkerModule.register(config),
        MaintenanceModule.register(config, options.maintenance),
      ],
    };
  }
}
