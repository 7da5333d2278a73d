import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@switchboard/config';
import type { DiscoveryResult } from '@switchboard/core';
import { PinoNestLogger } from '@switchboard/logging';
import { WorkerModule, type WorkerAppOptions } from './worker.module.js';

/**
 * Builds the worker. It is a Nest application with a small HTTP side (health and metrics only)
 * so that Prometheus and orchestrators can watch it like the API.
 */
export async function createWorkerApp(
  config: AppConfig,
  discovery: DiscoveryResult,
  options: WorkerAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.register(config, discovery, options),
    new FastifyAdapter(),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  // SIGTERM: stop taking jobs, finish the ones in flight, close connections, exit.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
