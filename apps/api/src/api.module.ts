import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@switchboard/config';
import type { DiscoveryResult } from '@switchboard/core';
import { HealthModule } from '@switchboard/health';
import { IngressModule } from '@switchboard/ingress';
import { PlatformModule } from '@switchboard/platform';
import { AuthModule } from './auth/auth.module.js';
import { CallsModule } from './calls/calls.module.js';
import { ClientApiModule } from './client-api.module.js';
import { ConsoleApiModule } from './console/console-api.module.js';
import { PluginsController } from './plugins/plugins.controller.js';
import { SyncApiModule } from './sync/sync-api.module.js';
import { WebhookLogsModule } from './webhook-logs/webhook-logs.module.js';

/** The API process: infrastructure modules from libs, plus thin controllers. */
@Module({})
export class ApiModule {
  static register(config: AppConfig, discovery: DiscoveryResult): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot({ config, discovery }),
        HealthModule,
        AuthModule,
        IngressModule,
        CallsModule,
        WebhookLogsModule,
        ClientApiModule,
        SyncApiModule,
        ConsoleApiModule,
      ],
      controllers: [PluginsController],
    };
  }
}
