import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ConnectionError } from '@switchboard/connections';
import { ProviderError, SwitchboardError, UnknownProviderError } from '@switchboard/core';
import type { ApiErrorBody } from './api-error.js';
import { JsonBodyError } from './json-body.js';
import { credentialsRefusedBody, providerFailureBody } from './provider-failure.js';
import { redactSecretsInText } from '@switchboard/logging';

const CONNECTION_STATUS: Record<ConnectionError['code'], number> = {
  connection_not_found: 404,
  unknown_provider: 404,
  invalid_credentials: 400,
  invalid_request: 400,
  invalid_settings: 400,
  api_base_url_not_allowed: 400,
  credentials_refused: 422,
};

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * Turns every error into the API's one body shape. Unknown errors become a generic 500: their
 * messages can hold internals (SQL, hosts), so they go to the log only.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<ReplyLike>();
    const request = http.getRequest<{ id?: string; method?: string; url?: string }>();
    const body = this.toBody(exception);
    body.requestId = request?.id;
    if (exception instanceof ProviderError || isCredentialsRefused(exception)) {
      // What the provider said stays in the log (redacted), never in the answer.
      this.logger.warn({
        msg: 'provider call failed',
        requestId: request?.id,
        error: redactSecretsInText((exception as Error).message),
      });
    }
    // Deliberate 5xx answers (readiness 503, provider 502) are not server faults; only the
    // unexpected ones are logged as errors, with the stack, under the request id.
    if (
      body.statusCode >= 500 &&
      !(exception instanceof HttpException) &&
      !(exception instanceof ProviderError)
    ) {
      this.logger.error({
        msg: 'request failed',
        err: exception,
        requestId: request?.id,
        method: request?.method,
      });
    }
    const retryAfter = (exception as { retryAfterSeconds?: number })?.retryAfterSeconds;
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (isCredentialsRefused(exception)) return credentialsRefusedBody(exception.message);
    if (exception instanceof ConnectionError) {
      return {
        statusCode: CONNECTION_STATUS[exception.code],
        error: exception.code,
        message: exception.message,
        details: exception.details,
      };
    }
    if (exception instanceof UnknownProviderError) {
      return { statusCode: 404, error: exception.code, message: exception.message };
    }
    if (exception instanceof ProviderError) return providerFailureBody(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const r = (
        typeof response === 'object' && response !== null ? response : { message: response }
      ) as Record<string, unknown>;
      const message = Array.isArray(r.message)
        ? r.message.join('; ')
        : String(r.message ?? exception.message);
      const code = typeof r.error === 'string' && /^[a-z_]+$/.test(r.error) ? r.error : codeFor(status);
      return {
        statusCode: status,
        error: code,
        message,
        details: Array.isArray(r.message) ? { problems: r.message } : r.details,
      };
    }
    if (exception instanceof SwitchboardError) {
      return { statusCode: 400, error: exception.code, message: exception.message };
    }
    if (exception instanceof JsonBodyError) {
      return {
        statusCode: 400,
        error: exception.code,
        message: exception.message,
        details: { field: exception.field },
      };
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (status === 413) {
      return {
        statusCode: 413,
        error: 'payload_too_large',
        message: 'request body is larger than the configured limit',
      };
    }
    // Fastify's own client errors (unsupported media type, bad content-length, ...): their messages
    // describe the request, not the server.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: codeFor(status), message: (exception as Error).message };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'internal_error',
      message: 'internal error; see the server log for the request id',
    };
  }
}

function isCredentialsRefused(exception: unknown): exception is ConnectionError {
  return exception instanceof ConnectionError && exception.code === 'credentials_refused';
}

function codeFor(status: number): string {
  const known: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'unprocessable_entity',
    429: 'rate_limited',
    501: 'not_supported',
    503: 'service_unavailable',
  };
  return known[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}
