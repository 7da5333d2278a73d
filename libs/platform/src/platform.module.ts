import { Module, type DynamicModule } from '@nestjs/common';
import { CacheModule } from '@switchboard/cache';
import { AppConfigModule, type AppConfig } from '@switchboard/config';
import { ConnectionsModule } from '@switchboard/connections';
import { PluginsModule, type DiscoveryResult } from '@switchboard/core';
import { CryptoModule } from '@switchboard/crypto';
import { LoggingModule } from '@switchboard/logging';
import { MetricsModule } from '@switchboard/metrics';
import { PersistenceModule } from '@switchboard/persistence';
import { QueueModule } from '@switchboard/queue';

export interface PlatformOptions {
  config: AppConfig;
  discovery: DiscoveryResult;
  /** Structured request logging (pino); the CLI prints for people instead. */
  logging?: boolean;
}

/**
 * What every Switchboard process stands on: validated configuration, the discovered plugins,
 * PostgreSQL, Redis, queues, metrics, encryption and connections. The api, worker and cli add
 * their own modules on top.
 */
@Module({})
export class PlatformModule {
  static forRoot({ config, discovery, logging = true }: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        AppConfigModule.forRoot(config),
        ...(logging ? [LoggingModule.forRoot()] : []),
        PluginsModule.forRoot({ discovery }),
        PersistenceModule,
        CacheModule,
        QueueModule.forRoot(),
        MetricsModule,
        CryptoModule,
        ConnectionsModule,
      ],
    };
  }
}
