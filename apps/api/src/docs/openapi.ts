import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI document at /docs (UI) and /docs/json. */
export function mountOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard API')
      .setDescription(
        'Call-tracking integration platform: provider webhooks in, one normalized call record out. ' +
          'Authenticate with "Authorization: Bearer <API key or admin token>". Errors share one body: ' +
          '{ statusCode, error (machine-readable code), message, details?, requestId }.',
      )
      .setVersion(version)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
