import { Queue } from 'bullmq';
import { rowsWithoutJob } from '@switchboard/ingress';
import { QueueName, isWebhookBatch, webhookBatchJobId } from '@switchboard/queue';
import { uniqueRedisPrefix } from '../../support/redis.js';
import {
  PipelineHarness,
  cutWaitingWorker,
  lockCalls,
  redisConnection,
  waitFor,
  type TestConnection,
} from './pipeline-harness.js';

/**
 * Batch jobs (decision 0019): a busy ingress adds one job for the rows of one INSERT. Every row
 * keeps its own outcome; the job retries as a unit and a retry leaves the rows already settled.
 */
describe('webhook batch jobs (real PostgreSQL and Redis)', () => {
  let h: PipelineHarness;
  let connection: TestConnection;

  beforeAll(async () => {
    h = await PipelineHarness.start({ env: { WEBHOOK_MAX_ATTEMPTS: '3' } });
    connection = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  const day = (d: number) => Date.parse(`2026-11-${String(d).padStart(2, '0')}T10:00:00.000Z`);

  it('stores every row of a batch job; a row that cannot be mapped fails alone, and the job with it', async () => {
    const { calls, webhooks } = await h.lifecycle(connection, 3, day(3));
    const broken = { ...webhooks[0], query: { ...webhooks[0].query, call_id: '' } };
    const ids = await h.insertRows(connection, [broken, ...webhooks]);
    const jobId = await h.enqueueBatch(connection, ids);
    await h.drained();
    const bad = await h.log(ids[0]);
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, job_id: jobId });
    expect(bad.error).toMatch(/call_id/);
    for (const id of ids.slice(1))
      expect(await h.log(id)).toMatchObject({ status: 'processed', attempts: 1 });
    expect((await h.calls(connection.id)).map((c) => c.external_id)).toEqual(
      expect.arrayContaining(calls.map((c) => c.externalId)),
    );
    // No retry can map it: the job fails at once, saying how many of its rows failed.
    const job = await h.queue.getJob(jobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(new RegExp(`^1 of ${ids.length} webhooks failed \\(0 may succeed`));
  });

  it('retries the job when its store failed, and every row is stored on the next attempt', async () => {
    const { webhooks } = await h.lifecycle(connection, 2, day(4));
    const lock = await lockCalls(h.sql);
    const ids = await h.insertRows(connection, webhooks);
    const jobId = await h.enqueueBatch(connection, ids);
    await cutWaitingWorker(h.sql);
    await waitFor(async () => (await h.log(ids[0])).attempts === 1);
    expect(await h.log(ids[ids.length - 1])).toMatchObject({ status: 'queued', attempts: 1 });
    await lock.query('ROLLBACK');
    lock.release();
    await h.drained();
    for (const id of ids)
      expect(await h.log(id)).toMatchObject({ status: 'processed', attempts: 2, error: null });
    const job = await h.queue.getJob(jobId);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual({ processed: ids.length, duplicates: 0, ignored: 0, settled: 0 });
  }, 30_000);

  it('leaves rows an earlier job already settled as they are', async () => {
    const { webhooks } = await h.lifecycle(connection, 1, day(5));
    const [first, ...rest] = await h.insertRows(connection, webhooks);
    await h.enqueue(connection, [first]);
    await h.drained();
    const before = await h.log(first);
    expect(before.status).toBe('processed');
    const jobId = await h.enqueueBatch(connection, [first, ...rest]);
    await h.drained();
    const job = await h.queue.getJob(jobId);
    expect(job?.returnvalue).toEqual({ processed: rest.length, duplicates: 0, ignored: 0, settled: 1 });
    expect((await h.log(first)).processed_at).toEqual(before.processed_at);
    expect(await h.count('SELECT count(*) FROM call_events WHERE webhook_log_id = $1', [first])).toBe(1);
  });

  it('the ingress puts concurrent webhooks in batch jobs, and every one is stored', async () => {
    const api = await h.startApi();
    const { webhooks } = await h.lifecycle(connection, 12, day(6));
    // The rendered webhooks carry no secret: the token comes from the connection's template URL.
    const template = new URL(connection.templates[0].url);
    const answers = await Promise.all(
      webhooks.map((w) => {
        const query = new URLSearchParams(template.search);
        for (const [key, value] of Object.entries(w.query)) query.set(key, String(value));
        return api.inject({ method: w.method, url: `${template.pathname}?${query}` });
      }),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(webhooks.map(() => 202));
    const ids = answers.map((a) => a.json().id as string);
    await h.drained();
    const rows = (
      await h.sql.query<{ id: string; status: string; job_id: string | null }>(
        'SELECT id, status, job_id FROM webhook_logs WHERE id = ANY($1::uuid[])',
        [ids],
      )
    ).rows;
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'processed'));
    // Requests that arrived together were written by one INSERT and carried by one job.
    const batched = rows.filter((r) => r.job_id !== null);
    expect(batched.length).toBeGreaterThan(1);
    const job = await h.queue.getJob(batched[0].job_id as string);
    expect(job && isWebhookBatch(job.data) ? job.data.rows.length : 0).toBe(
      batched.filter((r) => r.job_id === batched[0].job_id).length,
    );
    expect(batched[0].job_id).toBe(webhookBatchJobId(job?.data.rows[0].webhookLogId));
  });
});

describe('which queued rows have no job (real Redis)', () => {
  it('counts a row as having its job when its batch job or a job of its own exists', async () => {
    const queue = new Queue(QueueName.Webhooks, {
      connection: redisConnection(),
      prefix: uniqueRedisPrefix('orphans'),
    });
    try {
      await queue.waitUntilReady();
      const job = {
        webhookLogId: 'r1',
        connectionId: 'c',
        provider: 'ringba',
        receivedAt: new Date().toISOString(),
      };
      await queue.add('ringba', { rows: [job] }, { jobId: 'batch-r1' });
      const rows = [
        { id: 'r1', jobId: 'batch-r1' },
        { id: 'r2', jobId: 'batch-gone' },
        { id: 'r3', jobId: null },
      ];
      expect([...(await rowsWithoutJob(queue, rows, 2_000))].sort()).toEqual(['r2', 'r3']);
      // The relay re-adds an orphan on a job of its own: then it has one.
      await queue.add('ringba', { ...job, webhookLogId: 'r2' }, { jobId: 'r2' });
      expect([...(await rowsWithoutJob(queue, rows, 2_000))]).toEqual(['r3']);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
