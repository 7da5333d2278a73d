/**
 * The baselines of the ingress benchmark: the fastest plain-Node server that does the same job per
 * request — the same verification (Standard Webhooks HMAC, constant-time, or shared token), one
 * single-row INSERT into webhook_logs and one enqueue — with no framework, no batching, no rate
 * limit, no redaction and no duplicate check. Started as its own process by run.ts, once per
 * enqueue kind (BASELINE_ENQUEUE):
 * - `bullmq`: one BullMQ `queue.add` per request (what the api's jobs cost);
 * - `lpush`: one Redis `LPUSH` of the job data per request (the cheapest durable hand-off there is:
 *   the bar the api must clear with everything it does on top).
 *
 * Env: PORT, DATABASE_URL, REDIS_URL, REDIS_PREFIX, BASELINE_ENQUEUE, BENCH_CONNECTIONS (JSON of
 * BenchConnection[]).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { standardWebhookKey, verifyStandardWebhook } from '@switchboard/core';
import { baselineListKey, type BenchConnection } from './traffic.js';

const connections = new Map<string, BenchConnection & { key?: Buffer; digest: Buffer }>();
for (const c of JSON.parse(process.env.BENCH_CONNECTIONS ?? '[]') as BenchConnection[]) {
  connections.set(c.id, {
    ...c,
    key: c.scheme === 'hmac' ? standardWebhookKey(c.secret) : undefined,
    digest: createHash('sha256').update(c.secret).digest(),
  });
}
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const redisOptions = {
  host: redisUrl.hostname,
  port: Number(redisUrl.port || 6379),
  enableOfflineQueue: false,
};
const prefix = process.env.REDIS_PREFIX ?? 'bull';
const enqueueKind = process.env.BASELINE_ENQUEUE === 'lpush' ? 'lpush' : 'bullmq';
const queue =
  enqueueKind === 'bullmq' ? new Queue('webhooks', { connection: redisOptions, prefix }) : undefined;
const redis = enqueueKind === 'lpush' ? new Redis(redisOptions) : undefined;
const lpushKey = baselineListKey(prefix);

const INSERT = `INSERT INTO webhook_logs (id, connection_id, provider, event_type, event_id, method, content_type, query,
  headers, raw_body, source_ip, verification, status, http_status, received_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', 202, $13)`;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
  const receivedAt = new Date();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, root, provider, connectionId] = url.pathname.split('/');
  const c = root === 'webhooks' ? connections.get(connectionId) : undefined;
  if (!c || c.provider !== provider) return reply(res, 404, { error: 'connection_not_found' });
  const headers = req.headers as Record<string, string>;
  let ok: boolean;
  if (c.scheme === 'hmac') {
    ok = verifyStandardWebhook(headers, rawBody, { keys: [c.key as Buffer], toleranceSeconds: 300 }).ok;
  } else {
    const token = url.searchParams.get('token') ?? headers['x-switchboard-token'] ?? '';
    ok = timingSafeEqual(createHash('sha256').update(token).digest(), c.digest);
  }
  if (!ok) return reply(res, 401, { error: 'invalid_signature' });
  const query = Object.fromEntries(url.searchParams);
  delete query.token;
  const callId =
    c.scheme === 'hmac' ? (JSON.parse(rawBody.toString()) as { uuid?: string }).uuid : query.call_id;
  const id = randomUUID();
  await pool.query(INSERT, [
    id,
    c.id,
    c.provider,
    'call.completed',
    `${callId}:completed`,
    req.method,
    headers['content-type'] ?? null,
    JSON.stringify(query),
    JSON.stringify(headers),
    rawBody.length > 0 ? rawBody : null,
    req.socket.remoteAddress ?? null,
    'baseline',
    receivedAt,
  ]);
  const job = {
    webhookLogId: id,
    connectionId: c.id,
    provider: c.provider,
    receivedAt: receivedAt.toISOString(),
  };
  if (queue) await queue.add(c.provider, job, { jobId: id });
  else await (redis as Redis).lpush(lpushKey, JSON.stringify(job));
  reply(res, 202, { id, status: 'queued' });
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    handle(req, res, Buffer.concat(chunks)).catch(() => reply(res, 503, { error: 'service_unavailable' }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});

const stop = () => {
  server.close();
  void Promise.allSettled([pool.end(), queue?.close(), redis?.quit()]).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
