import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

export const CONSOLE_PATH = '/console';

/** apps/console/dist, from apps/api/src/console (tests) and apps/api/dist/console (built) alike. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/**
 * Serves the web console's production build at /console/. Vite names every asset by its content
 * hash, so assets are cached for a year (immutable) while index.html is revalidated on every load
 * and a deploy takes effect at once. The build uses relative URLs (base "./"), so the console
 * also works behind a reverse proxy that mounts the API under a path prefix. The files hold no
 * secrets: sign-in happens in the page, against the API.
 */
export function mountConsole(app: NestFastifyApplication, root = CONSOLE_DIST): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const built = fs.existsSync(`${root}/index.html`);
  void fastify.register(async (scope) => {
    // Relative, so /prefix/console -> /prefix/console/ behind a proxy too.
    scope.get(CONSOLE_PATH, (_request, reply) => reply.redirect('console/', 308));
    if (!built) {
      scope.get(`${CONSOLE_PATH}/*`, (request, reply) =>
        reply.status(503).send({
          statusCode: 503,
          error: 'console_not_built',
          message: 'the web console is not built: run "npm run build" (it writes apps/console/dist)',
          requestId: request.id,
        }),
      );
      return;
    }
    await scope.register(fastifyStatic, {
      root,
      prefix: `${CONSOLE_PATH}/`,
      decorateReply: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (res, filePath) => {
        const immutable = /[\\/]assets[\\/]/.test(filePath);
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.header('x-content-type-options', 'nosniff');
        if (filePath.endsWith('.html')) {
          res.header('referrer-policy', 'no-referrer');
          res.header(
            'content-security-policy',
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
          );
        }
      },
    });
  });
}
