import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AppConfig,
  loadConfig,
  loadConfigSubset,
  loadDotEnv,
  pluginDiscoveryFromEnv,
} from '@switchboard/config';
import { discoverPlugins } from '@switchboard/core';
import { PlatformModule } from '@switchboard/platform';

/**
 * The environment `npm start` ran with (DATABASE_URL, REDIS_URL, ENCRYPTION_KEYS), written by
 * scripts/start.js so that the CLI works against the quick-start instance without copying them.
 */
export const START_ENV_FILE = path.join('.data', 'switchboard.env');

/** The installation's root (apps/cli/{src,dist}/ -> ../../..). */
const INSTALL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Fills in variables that are not set from ./.env, then from the env file `npm start` wrote (in the
 * working directory, else in the installation). Variables already set always win.
 */
export function loadCliEnv(): void {
  loadDotEnv();
  loadDotEnv(START_ENV_FILE);
  loadDotEnv(path.join(INSTALL_ROOT, START_ENV_FILE));
}

/** The whole configuration (one clear line when it is wrong), for commands that use the platform. */
export function cliConfig(): AppConfig {
  loadCliEnv();
  return loadConfig();
}

/** DATABASE_URL alone: `migrate` needs neither Redis nor encryption keys. */
export function cliDatabaseUrl(): string {
  loadCliEnv();
  return loadConfigSubset(['DATABASE_URL']).DATABASE_URL;
}

/** Plugin discovery settings alone: `plugins` needs no services at all. */
export function cliPluginDiscovery(): AppConfig['pluginDiscovery'] {
  loadCliEnv();
  return pluginDiscoveryFromEnv();
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
