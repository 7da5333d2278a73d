import {
  PipelineHarness,
  cutWaitingWorker,
  lockCalls,
  waitFor,
  type TestConnection,
} from './pipeline-harness.js';

/**
 * Retries against real failures: the worker's database connection is cut while it waits for a
 * lock (PostgreSQL 57P01), which is retryable; the job comes back after the backoff and succeeds,
 * or, when attempts run out, its inbox row becomes `failed` with the reason and the attempt count.
 */
describe('retries (real PostgreSQL connection failures)', () => {
  let h: PipelineHarness;
  let connection: TestConnection;

  beforeAll(async () => {
    h = await PipelineHarness.start({ env: { WEBHOOK_MAX_ATTEMPTS: '3' } });
    connection = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('retries a webhook whose store failed because the database connection dropped, then stores it', async () => {
    const { calls, webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-01T10:00:00.000Z'));
    const lock = await lockCalls(h.sql);
    const [id] = await h.accept(connection, webhooks.slice(0, 1));
    await cutWaitingWorker(h.sql);
    // The failed attempt is recorded on the row, which stays queued for the next one.
    await waitFor(async () => (await h.log(id)).attempts === 1);
    const between = await h.log(id);
    expect(between.status).toBe('queued');
    expect(between.error).toMatch(/57P01|terminat/i);
    await lock.query('ROLLBACK');
    lock.release();
    await h.drained();
    const done = await h.log(id);
    expect(done).toMatchObject({ status: 'processed', attempts: 2, error: null });
    expect((await h.calls(connection.id)).map((c) => c.external_id)).toContain(calls[0].externalId);
    const job = await h.queue.getJob(id);
    expect(await job?.getState()).toBe('completed');
    expect(job?.attemptsMade).toBe(2); // BullMQ counts the successful attempt too
  }, 30_000);

  it('marks the row failed with the reason and attempts once WEBHOOK_MAX_ATTEMPTS is used up', async () => {
    const { webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-02T10:00:00.000Z'));
    const lock = await lockCalls(h.sql);
    try {
      const [id] = await h.accept(connection, webhooks.slice(0, 1));
      for (let attempt = 1; attempt <= 3; attempt++) {
        await cutWaitingWorker(h.sql);
        await waitFor(async () => (await h.log(id)).attempts === attempt);
      }
      await waitFor(async () => (await h.queue.getJob(id).then((j) => j?.getState())) === 'failed');
      const row = await h.log(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 3 });
      expect(row.error).toMatch(/57P01|terminat/i);
      const job = await h.queue.getJob(id);
      expect(job?.attemptsMade).toBe(3);
      expect(job?.failedReason).toMatch(/57P01|terminat/i);
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
    }
  }, 30_000);
});
