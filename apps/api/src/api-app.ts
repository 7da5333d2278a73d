import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@switchboard/config';
import type { DiscoveryResult } from '@switchboard/core';
import {
  createRequestLogger,
  PinoNestLogger,
  registerRequestLog,
  registerSecretNames,
  type HookTarget,
} from '@switchboard/logging';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { mountQueueBoard } from './admin/queue-board.js';
import { ApiModule } from './api.module.js';
import { mountConsole } from './console/console-static.js';
import { mountOpenApi } from './docs/openapi.js';
import { ApiExceptionFilter } from './http/api-exception.filter.js';
import { frameworkErrorReply, hardenHttp, MAX_PARAM_LENGTH } from './http/http-hardening.js';
import { validationError } from './http/validation-error.js';
import { registerWebhookRoutes } from './webhooks/webhook-routes.js';

export const API_VERSION = '0.1.0';

/** X-Request-Id when the caller sends a sane one, else a UUID; pino-http reuses it (req.id). */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** Builds the API application (not listening yet); used by main.ts and by the e2e tests. */
export async function createApiApp(
  config: AppConfig,
  discovery: DiscoveryResult,
  options: { logDestination?: Parameters<typeof createRequestLogger>[1] } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: requestId,
    bodyLimit: config.webhook.bodyLimitBytes,
    trustProxy: config.webhook.trustedProxies.length > 0 ? config.webhook.trustedProxies : false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorReply,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.register(config, discovery),
    adapter,
    {
      bufferLogs: true,
      rawBody: true,
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  hardenHttp(app);
  // Token names the plugins declare are secrets in every log line (connections' own renames are
  // learned by the webhook route).
  for (const { webhooks } of discovery.loaded.map((p) => p.manifest)) {
    registerSecretNames({ header: webhooks.tokenHeader, queryParam: webhooks.tokenQueryParam });
  }
  registerRequestLog(
    app.getHttpAdapter().getInstance() as unknown as HookTarget,
    createRequestLogger(config, options.logDestination),
    { enabled: config.logRequests },
  );
  app.enableShutdownHooks();
  mountOpenApi(app, API_VERSION);
  registerWebhookRoutes(app, config.webhook.bodyLimitBytes);
  mountQueueBoard(app);
  mountConsole(app);

  const metrics = app.get(SwitchboardMetrics);
  metrics.pluginsLoaded.set({ status: 'loaded' }, discovery.loaded.length);
  metrics.pluginsLoaded.set({ status: 'failed' }, discovery.failed.length);
  return app;
}
