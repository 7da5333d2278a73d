import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CacheModule } from '@switchboard/cache';
import { AppConfig, AppConfigModule, loadConfig, loadDotEnv } from '@switchboard/config';
import { ConnectionsModule } from '@switchboard/connections';
import { PluginsModule, discoverPlugins, type DiscoveryResult } from '@switchboard/core';
import { CryptoModule } from '@switchboard/crypto';
import { MetricsModule } from '@switchboard/metrics';
import { PersistenceModule } from '@switchboard/persistence';
import { QueueModule } from '@switchboard/queue';

@Module({})
class CliModule {
  static register(config: AppConfig, discovery: DiscoveryResult): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
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

/** Loads configuration (one clear line when it is wrong) and the environment from .env. */
export function cliConfig(): AppConfig {
  loadDotEnv();
  return loadConfig();
}

/** A Nest application context with the platform's services, for commands that need them. */
export async function withPlatform<T>(
  fn: (app: INestApplicationContext, config: AppConfig) => Promise<T>,
): Promise<T> {
  const config = cliConfig();
  const discovery = await discoverPlugins(config.pluginDiscovery);
  const app = await NestFactory.createApplicationContext(CliModule.register(config, discovery), {
    logger: ['error'],
  });
  try {
    return await fn(app, config);
  } finally {
    await app.close();
  }
}
