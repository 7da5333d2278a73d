import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ALL_QUEUES } from '@switchboard/queue';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { presentedToken } from '../auth/auth.guard.js';
import { ApiKeyService } from '../auth/api-key.service.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board (the queue UI) at /admin/queues, mounted on the Fastify instance directly in its own
 * encapsulated context (the Nest integration package is CommonJS and breaks the ESM test runner).
 * Every request needs the admin scope: `Authorization: Bearer <ADMIN_TOKEN or admin API key>`, or,
 * for a browser, HTTP Basic with the token as password (any user name).
 */
export function mountQueueBoard(app: NestFastifyApplication): void {
  const keys = app.get(ApiKeyService);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Switchboard queues' } },
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  void fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const principal = await keys.authenticate(boardToken(request.headers));
      if (principal?.scopes.includes('admin')) return;
      const statusCode = principal ? 403 : 401;
      if (!principal) reply.header('www-authenticate', 'Basic realm="Switchboard queues", charset="UTF-8"');
      await reply.status(statusCode).send({
        statusCode,
        error: principal ? 'forbidden' : 'unauthorized',
        message: principal
          ? 'the queue UI needs the "admin" scope'
          : 'send the admin token (Bearer, or as the Basic password)',
        requestId: request.id,
      });
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_BOARD_PATH });
  });
}

/** Bearer / X-Api-Key as everywhere, plus HTTP Basic (password = token) so a browser can log in. */
function boardToken(headers: FastifyRequest['headers']): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^basic\s+/i.test(auth)) {
    const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return presentedToken(headers as Record<string, string | string[] | undefined>);
}
