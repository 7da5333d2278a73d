import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit, loadDotEnv } from '@switchboard/config';
import { discoverPlugins } from '@switchboard/core';
import { createApiApp } from './api-app.js';
import { startupWarnings } from './startup-warnings.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfigOrExit();
  const discovery = await discoverPlugins(config.pluginDiscovery);
  const app = await createApiApp(config, discovery);
  await app.listen({ port: config.port, host: config.host });
  const base = config.publicBaseUrl;
  const logger = new Logger('Api');
  for (const warning of startupWarnings(config)) {
    logger.warn(warning);
    process.stderr.write(`\n*** WARNING: ${warning}\n\n`);
  }
  logger.log(
    `Switchboard API listening on ${config.host}:${config.port} — docs ${base}/docs, health ${base}/health/ready, metrics ${base}/metrics`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `switchboard api failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
