import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrl } from './redaction.js';

/**
 * Every path, `/` included. nestjs-pino's default (`{/*splat}`) reaches Nest 12's Fastify adapter
 * as a pattern that only matches `/`, so its middleware (request-scoped logger and its "request
 * completed" line) ran for almost no request: 78 lines for ~55,000 requests in an audit.
 */
const ALL_ROUTES = [{ path: '{*path}', method: RequestMethod.ALL }];
/**
 * The webhook ingress (a plain Fastify route) does without the request-scoped logger: building it
 * serializes and redacts every request's headers and URL (~10 µs a webhook), for log lines the
 * ingress does not write per request. Its requests keep their id in the request log line, in
 * error bodies and in the route's error log.
 */
const UNSCOPED_ROUTES = [{ path: 'webhooks/{*path}', method: RequestMethod.ALL }];

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

/**
 * A pino logger for the request log (registerRequestLog); tests pass a destination to read it.
 * Without pino's redaction: a request line holds only strings and numbers that cannot carry a
 * secret (RequestLogLine; its URL is already redacted by redactUrl), and the wildcard redaction
 * paths, walked on every line, cost ~10 µs a line — most of the request log's cost at thousands
 * of webhooks a second.
 */
export function createRequestLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const { redact: _unneeded, ...options } = loggerOptions(config);
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Structured JSON logs (pino) with the request (id — taken from X-Request-Id when the caller sends
 * one —, method and URL with secrets removed) on every line written while it runs.
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
            exclude: UNSCOPED_ROUTES,
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
                // No headers: this runs for every request when its logger is made, logged or not
                // (copying and redacting them was ~3% of a cached call read); a line that needs a
                // header names it.
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
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
