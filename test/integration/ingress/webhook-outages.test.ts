import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Queue } from 'bullmq';
import { InboxRelay } from '@switchboard/ingress';
import { DatabasePool, WebhookInboxRepository, type InboxRow } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { createWorkerApp } from '../../../apps/worker/src/worker-app.js';
import { IngressHarness, redisConnection, webhookUrl, type TestConnection } from './ingress-harness.js';

/** A port nothing listens on: Redis "down". */
const CLOSED_REDIS = 'redis://127.0.0.1:1';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhook ingress with Redis down (real PostgreSQL; Redis for the relay)', () => {
  let h: IngressHarness;
  let c: TestConnection;
  let pool: DatabasePool;
  let repository: WebhookInboxRepository;
  let queue: Queue;
  const relays: InboxRelay[] = [];

  function relay(batchSize = 500): InboxRelay {
    const r = new InboxRelay(repository, queue, h.config);
    r.options = { ...r.options, minAgeMs: 0, batchSize };
    relays.push(r);
    return r;
  }

  beforeAll(async () => {
    h = await IngressHarness.start({ redisUrl: CLOSED_REDIS });
    c = await h.createConnection('retreaver');
    pool = new DatabasePool(h.db.url, 4);
    repository = new WebhookInboxRepository(pool);
    // The relay runs against the real Redis, under the api's prefix.
    queue = new Queue(QueueName.Webhooks, { connection: redisConnection(), prefix: h.prefix });
  }, 60_000);

  afterAll(async () => {
    for (const r of relays) await r.stop();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await pool?.end();
    await h?.stop();
  }, 60_000);

  it('still answers 202 and keeps the row "received" for the relay', async () => {
    const started = Date.now();
    const res = await h.inject({
      url: webhookUrl('retreaver', c.id, { token: c.secret, event: 'completed' }),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ uuid: 'c-redis-down' }),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: expect.any(String), status: 'received' });
    // the first request waits (once) up to 2 s for the queue's first connection, then never again
    expect(Date.now() - started).toBeLessThan(5_000);
    const row = await h.row(res.json().id);
    expect(row).toMatchObject({
      status: 'received',
      http_status: 202,
      dedup_key: `${c.id}:c-redis-down:completed`,
    });

    // The relay, once Redis answers, enqueues it: exactly once, however often it runs.
    const r = relay();
    expect(await r.relayOnce()).toBe(1);
    expect(await r.relayOnce()).toBe(0);
    expect((await h.row(row.id)).status).toBe('queued');
    const job = await queue.getJob(row.id);
    expect(job?.data).toMatchObject({ webhookLogId: row.id, connectionId: c.id, provider: 'retreaver' });
    const all = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(all.filter((j) => j.id === row.id)).toHaveLength(1);
  });

  it('a redelivery during the outage is still a duplicate of the waiting row', async () => {
    const body = {
      url: webhookUrl('retreaver', c.id, { token: c.secret, event: 'answered', uuid: 'c-dup-down' }),
    };
    const first = await h.inject({ ...body, method: 'GET' });
    const second = await h.inject({ ...body, method: 'GET' });
    expect(first.json().status).toBe('received');
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ id: first.json().id, status: 'duplicate' });
  });

  it('does not enqueue a job twice when the ingress got it into Redis but not the row marked', async () => {
    const res = await h.inject({
      method: 'GET',
      url: webhookUrl('retreaver', c.id, { token: c.secret, event: 'completed', uuid: 'c-half' }),
    });
    const id = res.json().id as string;
    // as if the ingress had enqueued and crashed before marking the row
    await queue.add(
      'retreaver',
      { webhookLogId: id, connectionId: c.id, provider: 'retreaver', receivedAt: new Date().toISOString() },
      { jobId: id },
    );
    await relay().relayOnce();
    const all = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(all.filter((j) => j.id === id)).toHaveLength(1);
    expect((await h.row(id)).status).toBe('queued');
  });

  it('several relays at once claim disjoint rows, oldest first, in bounded batches', async () => {
    const rows: InboxRow[] = Array.from({ length: 60 }, (_, i) => ({
      id: randomUUID(),
      connectionId: c.id,
      provider: 'retreaver',
      eventType: null,
      eventId: null,
      dedupKey: null,
      method: 'GET',
      contentType: null,
      query: { n: String(i) },
      headers: {},
      rawBody: null,
      sourceIp: null,
      verification: 'token:ok',
      status: 'received',
      httpStatus: 202,
      error: null,
      receivedAt: new Date(),
    }));
    await repository.insertMany(rows);
    const a = relay(25);
    const b = relay(25);
    let total = 0;
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all([a.relayOnce(), b.relayOnce()]);
      expect(x).toBeLessThanOrEqual(25);
      expect(y).toBeLessThanOrEqual(25);
      total += x + y;
    }
    expect(total).toBe(60);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const ids = new Set(rows.map((r) => r.id));
    expect(jobs.filter((j) => ids.has(j.id as string))).toHaveLength(60);
    expect(await h.rows("status = 'received'")).toEqual([]);
  });

  it('sweeps rows written "queued" whose job never made it (a process stopped mid-write)', async () => {
    const row = (status: 'queued'): InboxRow => ({
      id: randomUUID(),
      connectionId: c.id,
      provider: 'retreaver',
      eventType: null,
      eventId: null,
      dedupKey: null,
      method: 'GET',
      contentType: null,
      query: {},
      headers: {},
      rawBody: null,
      sourceIp: null,
      verification: 'token:ok',
      status,
      httpStatus: 202,
      error: null,
      receivedAt: new Date(),
    });
    const orphan = row('queued');
    const healthy = row('queued');
    await repository.insertMany([orphan, healthy]);
    await queue.add(
      'retreaver',
      {
        webhookLogId: healthy.id,
        connectionId: c.id,
        provider: 'retreaver',
        receivedAt: new Date().toISOString(),
      },
      { jobId: healthy.id },
    );
    const r = relay();
    r.options.orphanAfterMs = 0;
    expect(await r.sweepOnce()).toBeGreaterThanOrEqual(2);
    expect(await queue.getJob(orphan.id)).toBeDefined();
    const all = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(all.filter((j) => j.id === healthy.id || j.id === orphan.id)).toHaveLength(2);
    // each row is checked once: the cursor has moved past them
    expect(await r.sweepOnce()).toBe(0);
  });

  it('is what the worker runs: the worker app relays on its own', async () => {
    const res = await h.inject({
      method: 'GET',
      url: webhookUrl('retreaver', c.id, { token: c.secret, event: 'completed', uuid: 'c-worker' }),
    });
    const id = res.json().id as string;
    expect((await h.row(id)).status).toBe('received');
    const worker = await createWorkerApp(
      {
        ...h.config,
        redisUrl: 'redis://127.0.0.1:6379',
        worker: { ...h.config.worker, port: 0 },
      } as typeof h.config,
      h.discovery,
    );
    try {
      worker.get(InboxRelay).options.minAgeMs = 0;
      await worker.init();
      await until(async () => ((await h.row(id)).status !== 'received' ? true : undefined));
      expect(await queue.getJob(id)).toBeDefined();
    } finally {
      await worker.close();
    }
  });
});

describe('webhook ingress with PostgreSQL down', () => {
  let h: IngressHarness;

  beforeAll(async () => {
    h = await IngressHarness.start();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('answers 503 with Retry-After so the provider retries, and stays up', async () => {
    const c = await h.createConnection('ringba');
    const other = await h.createConnection('ringba');
    const send = (conn: TestConnection) =>
      h.inject({
        method: 'GET',
        url: webhookUrl('ringba', conn.id, { token: conn.secret, event: 'incoming', call_id: randomUUID() }),
      });
    expect((await send(c)).statusCode).toBe(202); // connection now cached
    await h.db.drop();

    const cached = await send(c); // lookup from cache, the write fails
    expect(cached.statusCode).toBe(503);
    expect(cached.headers['retry-after']).toBe('5');
    expect(cached.json()).toMatchObject({
      statusCode: 503,
      error: 'service_unavailable',
      requestId: expect.any(String),
    });
    const uncached = await send(other); // the lookup itself fails
    expect(uncached.statusCode).toBe(503);
    expect(uncached.headers['retry-after']).toBe('5');
    expect((await h.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /switchboard_webhooks_received_total\{provider="ringba",event_type="[a-z._]+",outcome="unavailable"\} [1-9]/,
    );
  });
});

/** A TCP proxy to the real Redis that a test can black-hole (connected, no answers) or cut. */
class RedisProxy {
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  blackhole = false;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.on('data', (chunk) => {
        if (!this.blackhole) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('webhook ingress when Redis stops answering after start', () => {
  const proxy = new RedisProxy();
  let h: IngressHarness;
  let c: TestConnection;

  beforeAll(async () => {
    await proxy.start();
    h = await IngressHarness.start({ redisUrl: `redis://127.0.0.1:${proxy.port}` });
    c = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await proxy.stop();
  }, 60_000);

  const send = () =>
    h.inject({
      method: 'GET',
      url: webhookUrl('ringba', c.id, { token: c.secret, event: 'incoming', call_id: randomUUID() }),
    });

  it('answers 202 and leaves the row "received" when the enqueue times out, then goes back to queueing', async () => {
    const before = await send();
    expect(before.json().status).toBe('queued');

    proxy.blackhole = true;
    const during = await send();
    expect(during.statusCode).toBe(202);
    expect(during.json().status).toBe('received');
    expect((await h.row(during.json().id)).status).toBe('received');

    // Redis comes back (the client reconnects), and new webhooks are queued directly again.
    proxy.blackhole = false;
    proxy.cut();
    const after = await until(async () => {
      const res = await send();
      return res.json().status === 'queued' ? res : undefined;
    });
    expect((await h.row(after.json().id)).status).toBe('queued');
    expect(await h.queue.getJob(after.json().id)).toBeDefined();
  });
});
