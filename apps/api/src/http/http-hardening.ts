import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_JSON_BODY_LIMIT_BYTES, JsonBodyError, parseJsonBody } from './json-body.js';

/** Routes that read their own raw requests (the webhook ingress keeps bodies and queries byte for byte). */
const RAW_ROUTES = /^\/webhooks\//;

/**
 * Input limits every REST route shares, applied before Nest's pipes see a request:
 * JSON bodies parsed with a size and nesting limit (json-body.ts), and query strings holding a NUL
 * character refused with a 400 naming the parameter (PostgreSQL cannot compare text with NUL; such
 * filters were 500s).
 */
export function hardenHttp(app: NestFastifyApplication): void {
  app.useBodyParser('application/json', { bodyLimit: API_JSON_BODY_LIMIT_BYTES }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (RAW_ROUTES.test(request.url)) return;
    const field = queryFieldWithNul(request.url);
    if (field === undefined) return;
    const error = new JsonBodyError(
      'invalid_characters',
      `query parameter "${field}" contains a NUL character`,
      field,
    );
    await reply.status(400).send({
      statusCode: 400,
      error: error.code,
      message: error.message,
      details: { field },
      requestId: request.id,
    });
  });
}

/** The first query parameter whose name or value holds U+0000 (sent as %00), if any. */
export function queryFieldWithNul(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0 || !(url.includes('%00', q) || url.includes('\u0000', q))) return undefined;
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    if (key.includes('\u0000') || value.includes('\u0000')) return key.replaceAll('\u0000', '\\u0000');
  }
  return undefined;
}

/** Path parameters longer than this answer 414 (in the API's error shape); ids are far shorter. */
export const MAX_PARAM_LENGTH = 1_000;

/**
 * Fastify's answers to URLs it cannot route (bad percent-encoding, an over-long parameter) are
 * written straight to the socket in Fastify's own shape unless this handler is given: with it they
 * use the API's error body (and pass the request log like every other answer).
 */
export function frameworkErrorReply(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode ?? 400;
  void reply.code(statusCode).send({
    statusCode,
    error: statusCode === 414 ? 'uri_too_long' : 'bad_url',
    message:
      statusCode === 414 ? 'a path parameter is too long' : 'the URL is not valid (bad percent-encoding)',
    requestId: request.id,
  });
}
