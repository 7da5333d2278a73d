import { Logger } from '@nestjs/common';
import { registerSecretNames } from '@switchboard/logging';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  WebhookIngress,
  type AdmittedWebhook,
  type IngressReply,
  type WebhookRequestHead,
} from '@switchboard/ingress';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEBHOOK_ROUTE = '/webhooks/:provider/:connectionId';
/** Pixels are GET (or POST/PUT/PATCH in Ringba's advanced options); JSON and form bodies are POST. */
export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH'];

interface WebhookState {
  head: WebhookRequestHead;
  admitted?: AdmittedWebhook;
}

const EMPTY = Buffer.alloc(0);

/**
 * Registers `/webhooks/:provider/:connectionId` as a plain Fastify route in its own encapsulated
 * context, so that its content-type parsers (one catch-all that keeps every body as the exact bytes
 * received, with the webhook body limit) apply to this route only and the rest of the API keeps
 * its JSON parsing. It is not a Nest controller: no guard applies (the ingress verifies requests
 * its own way) and the hot path skips Nest's pipes and interceptors. Errors use the API's body
 * shape {statusCode, error, message, requestId}.
 *
 * Checks that need no body (provider, connection, rate limit) run in onRequest, before the body is
 * read, so a flood for an unknown or throttled connection costs no body reading.
 */
export function registerWebhookRoutes(app: NestFastifyApplication, bodyLimitBytes: number): void {
  const ingress = app.get(WebhookIngress);
  const logger = new Logger('Webhooks');
  const state = new WeakMap<FastifyRequest, WebhookState>();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: bodyLimitBytes },
      (_request, body, done) => done(null, body),
    );

    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      const current = state.get(request);
      if (current && (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)) {
        return send(request, reply, await ingress.tooLarge(current.head, current.admitted));
      }
      const clientError =
        typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;
      if (!clientError) logger.error({ msg: 'webhook request failed', err: error, requestId: request.id });
      const statusCode = clientError ? (error.statusCode as number) : 500;
      return send(request, reply, {
        statusCode,
        body: {
          statusCode,
          error: clientError ? 'bad_request' : 'internal_error',
          message: clientError ? error.message : 'internal error; see the server log for the request id',
        },
      });
    });

    scope.route({
      method: WEBHOOK_METHODS,
      url: WEBHOOK_ROUTE,
      // A HEAD must not count as a delivery.
      exposeHeadRoute: false,
      onRequest: async (request, reply) => {
        const params = request.params as { provider: string; connectionId: string };
        const head: WebhookRequestHead = {
          provider: params.provider,
          connectionId: params.connectionId,
          method: request.method,
          url: request.url,
          headers: request.headers,
          sourceIp: request.ip,
          receivedAt: new Date(),
          startedAt: performance.now(),
        };
        const current: WebhookState = { head };
        state.set(request, current);
        const admission = await ingress.admit(head);
        if ('reply' in admission) return send(request, reply, admission.reply);
        current.admitted = admission.admitted;
        // A connection may rename its token header / query parameter: the request log must know.
        for (const header of admission.admitted.connection.secrets.headers) registerSecretNames({ header });
        for (const queryParam of admission.admitted.connection.secrets.query)
          registerSecretNames({ queryParam });
      },
      handler: async (request, reply) => {
        const admitted = state.get(request)?.admitted;
        if (!admitted) throw new Error('webhook request reached the handler without admission');
        const body = Buffer.isBuffer(request.body) ? request.body : EMPTY;
        return send(request, reply, await ingress.receive(admitted, body));
      },
    });
  });
}

function send(request: FastifyRequest, reply: FastifyReply, answer: IngressReply): FastifyReply {
  if (answer.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(answer.retryAfterSeconds));
  const body = answer.statusCode >= 400 ? { ...answer.body, requestId: request.id } : answer.body;
  return reply.code(answer.statusCode).send(body);
}
