import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactHeaders, redactUrl } from './redaction.js';

/**
 * Every path, `/` included. nestjs-pino's default (`{/*splat}`) reaches Nest 12's Fastify adapter
 * as a pattern that only matches `/`, so its middleware (request-scoped logger and its "request
 * completed" line) ran for almost no request: 78 lines for ~55,000 requests in an audit.
 */
const ALL_ROUTES = [{ path: '{*path}', method: RequestMethod.ALL }];

/** The base fields and secret-field censoring every Switchboard logger shares. */
export function loggerOptions(config: AppConfig): pino.LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'switchboard' },
    redact: {
      paths: ['*.password', '*.apiToken', '*.apiKey', '*.privateKey', '*.secret', '*.token'],
      censor: '[redacted]',
    },
  };
}

/** A pino logger for the request log (registerRequestLog); tests pass a destination to read it. */
export function createRequestLogger(config: AppConfig, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(config), destination) : pino(loggerOptions(config));
}

/**
 * Structured JSON logs (pino) with a request id on every line of a request (taken from
 * X-Request-Id when the caller sends one) and secrets removed from headers and query strings.
 */
@Module({})
export class LoggingModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            forRoutes: ALL_ROUTES,
            pinoHttp: {
              ...loggerOptions(config),
              genReqId: (req: IncomingMessage & { id?: string }) => {
                if (req.id) return req.id;
                const given = req.headers['x-request-id'];
                return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
              },
              // The one line per request comes from registerRequestLog (request-log.ts), which
              // also sees routes Nest middleware never runs for and knows the route and caller.
              autoLogging: false,
              serializers: {
                req: (req: { id: string; method: string; url: string; headers: Record<string, string> }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                  headers: redactHeaders(req.headers ?? {}),
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
            },
          }),
        }),
      ],
    };
  }
}
