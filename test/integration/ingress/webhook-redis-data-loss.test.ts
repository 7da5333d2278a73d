import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { InboxBacklog, InboxRelay } from '@switchboard/ingress';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { DatabasePool, InboxBacklogRepository, WebhookInboxRepository } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { IngressHarness, redisConnection, webhookUrl, type TestConnection } from './ingress-harness.js';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Redis loses its data (a restart without persistence, a failover, a flush) after webhooks were
 * acknowledged and queued: their rows stay `queued` with no job. The relay must notice and re-add
 * the jobs without a worker restart, and readiness and metrics must show the stranded rows.
 * "Losing its data" is played by deleting every key under this test's private prefix (the shared
 * Redis is never flushed).
 */
describe('accepted webhooks after Redis loses its data (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let c: TestConnection;
  let pool: DatabasePool;
  let queue: Queue;
  let relay: InboxRelay | undefined;
  let metrics: SwitchboardMetrics;

  beforeAll(async () => {
    h = await IngressHarness.start();
    c = await h.createConnection('ringba');
    pool = new DatabasePool(h.db.url, 4);
    queue = new Queue(QueueName.Webhooks, { connection: redisConnection(), prefix: h.prefix });
    metrics = h.app.get(SwitchboardMetrics);
  }, 60_000);

  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });

  afterAll(async () => {
    await queue?.close();
    await pool?.end();
    await h?.stop();
  }, 60_000);

  function newRelay(options: Partial<InboxRelay['options']> = {}): InboxRelay {
    const r = new InboxRelay(
      new WebhookInboxRepository(pool),
      queue,
      h.config,
      metrics,
      new InboxBacklog(new InboxBacklogRepository(pool), queue),
    );
    r.options = { ...r.options, minAgeMs: 0, intervalMs: 50, measureEveryMs: 0, ...options };
    return r;
  }

  async function acceptSome(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await h.inject({
        method: 'GET',
        url: webhookUrl('ringba', c.id, {
          token: c.secret,
          event: 'completed',
          call_id: `RGB-${randomUUID()}`,
        }),
      });
      expect(res.json().status).toBe('queued');
      ids.push(res.json().id as string);
    }
    // Written three minutes ago, as far as every age bound is concerned.
    await h.sql.query(
      `UPDATE webhook_logs SET created_at = created_at - interval '3 minutes' WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return ids;
  }

  /** FLUSHALL, limited to this test's keys. */
  async function flushPrefix(): Promise<void> {
    const client = await queue.client;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  const jobsPresent = async (ids: string[]) =>
    (await Promise.all(ids.map((id) => queue.getJob(id)))).filter(Boolean).length;

  const readiness = async () => {
    const res = await h.inject({ method: 'GET', url: '/health/ready' });
    const body = res.json() as { details?: Record<string, Record<string, unknown>> };
    return { status: res.statusCode, inbox: (body.details ?? (body as { info?: never }).info)?.inbox };
  };

  it('notices the loss, re-adds every stranded job on its own, and shows the stranded rows meanwhile', async () => {
    const ids = await acceptSome(5);
    relay = newRelay({ reconcileEveryMs: 3_600_000 });
    relay.start();
    // the relay has seen Redis with its data (marker written, first pass done)
    await until(async () =>
      (await queue.client).exists(queue.toKey('data-marker')).then((n) => (n ? 1 : undefined)),
    );
    await relay.stop();
    expect(await jobsPresent(ids)).toBe(5);

    await flushPrefix(); // Redis lost every key of this deployment
    expect(await jobsPresent(ids)).toBe(0);

    // Readiness says what is wrong instead of "ok".
    const before = await readiness();
    expect(before.inbox).toMatchObject({ status: 'degraded', jobMissing: 5, waiting: 5 });
    expect(before.inbox?.oldestWaitingSeconds).toBeGreaterThanOrEqual(170);
    expect(before.inbox?.message).toMatch(/5 acknowledged webhook\(s\) not in the queue/);
    await relay.measure();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/switchboard_inbox_waiting\{state="job_missing"\} 5/);
    expect(text).toMatch(/switchboard_inbox_waiting_oldest_seconds (1[7-9]\d|[2-9]\d\d)/);

    // The running relay finds the marker gone and re-adds the jobs, with no restart.
    relay.start();
    await until(async () => ((await jobsPresent(ids)) === 5 ? true : undefined));
    const after = await metrics.registry.metrics();
    expect(after).toMatch(/switchboard_redis_data_loss_total 1/);
    expect(after).toMatch(/switchboard_inbox_jobs_readded_total 5/);
    for (const id of ids) expect((await queue.getJob(id))?.data).toMatchObject({ webhookLogId: id });
    expect((await readiness()).inbox).toMatchObject({ status: 'up', waiting: 0, jobMissing: 0 });
  });

  it('keeps reconciling: a job that vanishes later is re-added by a later pass', async () => {
    const ids = await acceptSome(3);
    relay = newRelay({ reconcileEveryMs: 200 });
    relay.start();
    await new Promise((r) => setTimeout(r, 500)); // several passes over these rows
    await queue.remove(ids[1]); // gone without the marker going: only a later pass can see it
    expect(await queue.getJob(ids[1])).toBeUndefined();
    await until(async () => ((await queue.getJob(ids[1])) ? true : undefined));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => ids.includes(j.id as string))).toHaveLength(3);
  });
});
