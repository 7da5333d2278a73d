import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** OpenAPI document at /docs (UI) and /docs/json. */
export function mountOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard API')
      .setDescription(
        'Call-tracking integration platform: provider webhooks in, one normalized call record out. ' +
          'Authenticate with "Authorization: Bearer <API key or admin token>". Errors share one body: ' +
          '{ statusCode, error (machine-readable code), message, details?, requestId }. ' +
          'Scopes: an API key has read (calls, events, reports, campaigns, numbers), write (also buying and ' +
          'releasing numbers) or admin (everything, like the admin token); 401 without a valid key, 403 without ' +
          'the scope. Bad input is a 400 naming the field (details.field / details.fields); JSON bodies are ' +
          'limited to 1 MiB (413) and 32 levels of nesting (400 json_too_deep). Provider failures carry the ' +
          'provider, its HTTP status and a short reason, never its answer; 501 not_supported where a plugin cannot.',
      )
      .setVersion(version)
      .addBearerAuth()
      .build(),
  );
  addWebhookIngress(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}

const errorBody = { $ref: '#/components/schemas/ApiErrorBody' };
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBody } },
});

/**
 * The webhook route is a plain Fastify route (raw bodies, no Nest pipeline on the hot path), so
 * Swagger cannot see it; it is described here by hand.
 */
function addWebhookIngress(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ApiErrorBody ??= {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer', example: 401 },
      error: { type: 'string', example: 'invalid_token', description: 'Stable machine-readable code' },
      message: { type: 'string' },
      details: {},
      requestId: { type: 'string' },
    },
  };
  const accepted = {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The webhook_logs row (GET /webhook-logs)' },
      status: { type: 'string', enum: ['queued', 'received', 'duplicate', 'ignored'] },
    },
  };
  const operation = {
    tags: ['webhooks'],
    summary: 'Receive a provider webhook or pixel',
    description:
      "Verified by the connection's scheme: a shared token (`token` query parameter or `x-switchboard-token` header), " +
      'Standard Webhooks HMAC (`webhook-id`, `webhook-timestamp`, `webhook-signature`, tolerance WEBHOOK_TOLERANCE_SECONDS), ' +
      'and/or an IP allowlist. The request is stored before the answer; 202 means it is durably accepted. ' +
      'Any body type is accepted and kept byte for byte (JSON, form, none for GET pixels).',
    security: [],
    parameters: [
      { name: 'provider', in: 'path', required: true, schema: { type: 'string', example: 'ringba' } },
      { name: 'connectionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      {
        name: 'token',
        in: 'query',
        required: false,
        schema: { type: 'string' },
        description: 'Shared-token scheme',
      },
    ],
    responses: {
      '202': {
        description: 'Accepted and queued (or waiting for Redis)',
        content: { 'application/json': { schema: accepted } },
      },
      '200': {
        description: 'Redelivery of an accepted event, or a shadow-mode connection',
        content: { 'application/json': { schema: accepted } },
      },
      '400': error('Body does not parse as its content type (malformed_body)'),
      '401': error('Missing or wrong token or signature, or timestamp outside the window'),
      '403': error('Source address not allowed (address_not_allowed)'),
      '404': error('Unknown provider, or unknown or inactive connection'),
      '413': error('Body larger than WEBHOOK_BODY_LIMIT_BYTES'),
      '422': error(
        'Body parses but can never be stored: a NUL character (\\u0000) or nesting deeper than 100 levels (unstorable_body)',
      ),
      '429': error('Connection over its webhook rate limit; see Retry-After'),
      '503': error('Storage unavailable; retry (Retry-After)'),
    },
  };
  document.paths['/webhooks/{provider}/{connectionId}'] = {
    get: { ...operation, operationId: 'receiveWebhookGet' },
    post: { ...operation, operationId: 'receiveWebhook' },
    put: { ...operation, operationId: 'receiveWebhookPut' },
    patch: { ...operation, operationId: 'receiveWebhookPatch' },
  } as OpenAPIObject['paths'][string];
}
