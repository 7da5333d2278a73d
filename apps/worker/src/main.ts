import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit, loadDotEnv } from '@switchboard/config';
import { discoverPlugins } from '@switchboard/core';
import { createWorkerApp } from './worker-app.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfigOrExit();
  const discovery = await discoverPlugins(config.pluginDiscovery);
  const app = await createWorkerApp(config, discovery);
  if (config.worker.port > 0) {
    await app.listen({ port: config.worker.port, host: config.host });
    new Logger('Worker').log(`Switchboard worker running — health and metrics on port ${config.worker.port}`);
  } else {
    await app.init();
    new Logger('Worker').log('Switchboard worker running (no HTTP port)');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `switchboard worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
