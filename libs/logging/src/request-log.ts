import type { Logger } from 'pino';
import { redactUrl } from './redaction.js';

/** The fields of one request line; nothing here can hold a secret (query values are redacted). */
export interface RequestLogLine {
  requestId: string;
  method: string;
  /** The route pattern that answered (`/calls/:id`), or null when none did (404). */
  route: string | null;
  /** Path and query, secret query values redacted. */
  url: string;
  statusCode: number;
  durationMs: number;
  /** Who called: `api-key` (with keyId), `admin-token`, `open`, or null before/without authentication. */
  caller: string | null;
  keyId: string | null;
}

/** What the request log reads off a Fastify request and reply (structural, so this lib needs no Fastify). */
export interface LoggedRequest {
  id: string;
  method: string;
  url: string;
  routeOptions?: { url?: string };
  principal?: { kind: string; keyId?: string };
}

export interface LoggedReply {
  statusCode: number;
  elapsedTime: number;
}

export interface HookTarget {
  addHook(
    name: 'onResponse',
    hook: (request: LoggedRequest, reply: LoggedReply) => Promise<void> | void,
  ): unknown;
}

/** Health probes and scrapes run every few seconds; a line each would drown the rest. */
export const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * One "request completed" line per request, written when the answer has gone out, from a Fastify
 * onResponse hook: it sees every route (Nest controllers, the plain-Fastify webhook route, Bull
 * Board, docs, 404s) with the route pattern and the caller the auth guard recorded. Level follows
 * the status: info below 400, warn for 4xx, error for 5xx — but warn for 503: it answers for a
 * dependency that is down (PostgreSQL, Redis, unreadable secrets), which is logged once when it
 * goes and once when it is back, so an error line per request would only bury that line.
 */
export function registerRequestLog(target: HookTarget, logger: Logger, options: { enabled: boolean }): void {
  if (!options.enabled) return;
  target.addHook('onResponse', (request, reply) => {
    const url = request.url ?? '';
    if (QUIET_PATHS.some((p) => url === p || url.startsWith(`${p}?`))) return;
    const line: RequestLogLine = {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions?.url ?? null,
      url: redactUrl(url),
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      caller: request.principal?.kind ?? null,
      keyId: request.principal?.keyId ?? null,
    };
    const level =
      reply.statusCode >= 500 && reply.statusCode !== 503
        ? 'error'
        : reply.statusCode >= 400
          ? 'warn'
          : 'info';
    logger[level]({ ...line, msg: 'request completed' });
  });
}
