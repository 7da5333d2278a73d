import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { LoggerModule } from 'nestjs-pino';
import { redactHeaders, redactUrl } from './redaction.js';

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

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
            pinoHttp: {
              level: config.logLevel,
              base: { service: 'switchboard' },
              genReqId: (req: IncomingMessage & { id?: string }) => {
                if (req.id) return req.id;
                const given = req.headers['x-request-id'];
                return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
              },
              autoLogging: {
                ignore: (req: IncomingMessage) =>
                  !config.logRequests || QUIET_PATHS.some((p) => (req.url ?? '').startsWith(p)),
              },
              serializers: {
                req: (req: { id: string; method: string; url: string; headers: Record<string, string> }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                  headers: redactHeaders(req.headers ?? {}),
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              redact: {
                paths: ['*.password', '*.apiToken', '*.apiKey', '*.privateKey', '*.secret', '*.token'],
                censor: '[redacted]',
              },
            },
          }),
        }),
      ],
    };
  }
}
