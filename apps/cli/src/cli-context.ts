import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig, loadDotEnv } from '@switchboard/config';
import { discoverPlugins } from '@switchboard/core';
import { PlatformModule } from '@switchboard/platform';

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
  const app = await NestFactory.createApplicationContext(
    PlatformModule.forRoot({ config, discovery, logging: false }),
    { logger: ['error'] },
  );
  try {
    return await fn(app, config);
  } finally {
    await app.close();
  }
}
