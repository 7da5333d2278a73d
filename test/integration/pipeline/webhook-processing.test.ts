import type { CallRow } from '@switchboard/persistence';
import { CallCache, QueueMetricsSampler, liveStreamKey } from '@switchboard/pipeline';
import { RedisClient } from '@switchboard/cache';
import { PipelineHarness, waitFor, type TestConnection } from './pipeline-harness.js';

/** The worker end to end in one process: real plugins, real payloads, PostgreSQL and Redis. */
describe('webhook processing (worker, real plugins, PostgreSQL, Redis)', () => {
  let h: PipelineHarness;
  const connections: Record<string, TestConnection> = {};

  beforeAll(async () => {
    h = await PipelineHarness.start();
    for (const provider of ['ringba', 'retreaver', 'trackdrive'])
      connections[provider] = await h.createConnection(provider);
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it.each(['ringba', 'retreaver', 'trackdrive'])(
    'turns %s webhooks into one normalized call per call id',
    async (provider) => {
      const connection = connections[provider];
      const { calls, webhooks } = await h.lifecycle(connection, 3);
      const ids = await h.accept(connection, webhooks);
      await h.drained();

      for (const id of ids) expect((await h.log(id)).status).toBe('processed');
      const rows = await h.calls(connection.id);
      expect(rows.map((r) => r.external_id).sort()).toEqual(calls.map((c) => c.externalId).sort());
      for (const row of rows) {
        expect(row.provider).toBe(provider);
        expect(['completed', 'in_progress']).toContain(row.status);
        // Only Retreaver documents a campaign token ([campaign_id]); Ringba's and TrackDrive's
        // templates carry none (the sync fills the campaign).
        if (provider === 'retreaver') expect(row.campaign_external_id).toMatch(/^CA\d{4}$/);
        expect(row.caller_number).toMatch(/^\+1555\d{7}$/);
      }
      const events = await h.count('SELECT count(*) FROM call_events WHERE connection_id = $1', [
        connection.id,
      ]);
      expect(events).toBe(webhooks.length);
      const logs = await h.sql.query(
        'SELECT attempts, error, processed_at FROM webhook_logs WHERE id = ANY($1::uuid[])',
        [ids],
      );
      for (const log of logs.rows)
        expect(log).toMatchObject({ attempts: 1, error: null, processed_at: expect.any(Date) });
    },
  );

  it('keeps money as exact decimals and the newest value of each field', async () => {
    const connection = connections.ringba;
    const { calls, webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-21T09:00:00.000Z'));
    await h.accept(connection, webhooks);
    await h.drained();
    const [row] = (await h.calls(connection.id)).filter(
      (r: CallRow) => r.external_id === calls[0].externalId,
    );
    // The payout pixel carries an adjusted revenue (11.00 vs 10.00): the newer one wins.
    expect(row.revenue).toBe('11.0000');
    expect(row.payout).toMatch(/^\d+\.\d{4}$/);
    expect(row.status).toBe('completed');
    expect(row.recording_url).toContain(calls[0].externalId);
    expect(row.tags).toMatchObject({ callerState: 'CA', targetName: 'Buyer 0' });
  });

  it('updates the call cache and publishes one live event per stored change', async () => {
    const connection = connections.retreaver;
    const { calls, webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-22T09:00:00.000Z'));
    const redis = h.app.get(RedisClient).redis;
    const before = await redis.xlen(liveStreamKey(h.prefix));
    await h.accept(connection, webhooks);
    await h.drained();
    const [row] = (await h.calls(connection.id)).filter((r) => r.external_id === calls[0].externalId);
    const cached = await h.app.get(CallCache).get(row.id);
    expect(cached).toMatchObject({
      id: row.id,
      version: row.version,
      status: row.status,
      externalId: calls[0].externalId,
    });
    const entries = await redis.xrange(liveStreamKey(h.prefix), '-', '+');
    const mine = entries
      .slice(before)
      .map(([, fields]) => JSON.parse(fields[1]))
      .filter((e) => e.call.id === row.id);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.flatMap((e) => e.eventTypes)).toHaveLength(webhooks.length);
    expect(mine[mine.length - 1].call.version).toBe(row.version);
  });

  it('processes the same webhook twice into one call and one event', async () => {
    const connection = connections.trackdrive;
    const { calls, webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-23T09:00:00.000Z'));
    const ids = await h.accept(connection, webhooks);
    await h.drained();
    const [before] = (await h.calls(connection.id)).filter((r) => r.external_id === calls[0].externalId);
    // The same rows again, as new jobs (a relay or replay after the first jobs were removed).
    await h.queue.clean(0, 10_000, 'completed');
    await h.enqueue(connection, ids);
    await h.drained();
    const [after] = (await h.calls(connection.id)).filter((r) => r.external_id === calls[0].externalId);
    expect(after).toEqual(before);
    expect(await h.count('SELECT count(*) FROM call_events WHERE call_id = $1', [before.id])).toBe(
      webhooks.length,
    );
  });

  it('fails a webhook whose payload cannot be mapped at once, with its reason, without failing its neighbours', async () => {
    const connection = connections.ringba;
    const { webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-24T09:00:00.000Z'));
    const broken = { ...webhooks[0], query: { ...webhooks[0].query, call_id: '' } };
    const [badId, ...goodIds] = await h.accept(connection, [broken, ...webhooks.slice(1)]);
    await h.drained();
    const bad = await h.log(badId);
    expect(bad).toMatchObject({ status: 'failed', attempts: 1 });
    expect(bad.error).toMatch(/call_id/);
    const job = await h.queue.getJob(badId);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
    for (const id of goodIds) expect((await h.log(id)).status).toBe('processed');
  });

  it('fails only the row PostgreSQL refuses when a batch statement fails (row-by-row fallback)', async () => {
    const connection = connections.trackdrive;
    const { webhooks } = await h.lifecycle(connection, 2, Date.parse('2026-11-25T09:00:00.000Z'));
    // A NUL character in a JSON string passes every check in Node (and the inbox keeps the body as
    // bytes), but a jsonb value cannot hold it (22P05): the batch statement fails as a whole.
    const body = JSON.parse(webhooks[0].rawBody.toString('utf8')) as Record<string, unknown>;
    const poisoned = {
      ...webhooks[0],
      rawBody: Buffer.from(JSON.stringify({ ...body, offer_name: 'bad\u0000name' })),
    };
    const ids = await h.insertRows(connection, [poisoned, ...webhooks.slice(1)]);
    // With no worker running every job waits, and the next worker takes them as one batch.
    const [stopped] = h.workers.splice(0, 1);
    await stopped.close();
    await h.enqueue(connection, ids);
    await h.startWorker();
    await h.drained();
    const bad = await h.log(ids[0]);
    expect(bad.status).toBe('failed');
    expect(bad.attempts).toBe(1);
    expect(bad.error).toMatch(/22P05|Unicode/);
    for (const id of ids.slice(1)) expect((await h.log(id)).status).toBe('processed');
  });

  it('ignores rows that failed verification or belong to a shadow connection', async () => {
    const connection = connections.retreaver;
    const { webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-11-26T09:00:00.000Z'));
    const [id] = await h.insertRows(connection, webhooks.slice(0, 1));
    await h.sql.query(`UPDATE webhook_logs SET status = 'rejected' WHERE id = $1`, [id]);
    await h.enqueue(connection, [id]);
    await h.drained();
    expect((await h.log(id)).status).toBe('rejected');
    await waitFor(async () => (await h.queue.getJob(id))?.returnvalue?.status === 'ignored');
  });

  it('exports processed counts by provider and outcome, processing time, end-to-end lag and queue depths', async () => {
    const { webhooks } = await h.lifecycle(connections.ringba, 1, Date.parse('2026-11-27T09:00:00.000Z'));
    const broken = { ...webhooks[0], query: { ...webhooks[0].query, call_id: '' } };
    await h.accept(connections.ringba, [broken, ...webhooks]);
    const retreaver = await h.lifecycle(connections.retreaver, 1, Date.parse('2026-11-27T09:00:00.000Z'));
    const [ignored] = await h.insertRows(connections.retreaver, retreaver.webhooks.slice(0, 1));
    await h.sql.query(`UPDATE webhook_logs SET status = 'ignored' WHERE id = $1`, [ignored]);
    await h.enqueue(connections.retreaver, [ignored]);
    await h.accept(
      connections.trackdrive,
      (await h.lifecycle(connections.trackdrive, 1, Date.parse('2026-11-27T09:00:00.000Z'))).webhooks,
    );
    await h.accept(connections.retreaver, retreaver.webhooks.slice(1));
    await h.drained();
    await h.app.get(QueueMetricsSampler).sample();
    const res = await h.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).toMatch(
      /switchboard_webhooks_processed_total\{provider="ringba",outcome="processed"\} [1-9]/,
    );
    expect(text).toMatch(/switchboard_webhooks_processed_total\{provider="ringba",outcome="failed"\} [1-9]/);
    expect(text).toMatch(
      /switchboard_webhooks_processed_total\{provider="retreaver",outcome="ignored"\} [1-9]/,
    );
    expect(text).toMatch(
      /switchboard_webhook_processing_duration_seconds_count\{provider="trackdrive"\} [1-9]/,
    );
    expect(text).toMatch(/switchboard_webhook_end_to_end_lag_seconds_count\{provider="retreaver"\} [1-9]/);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(text).toMatch(new RegExp(`switchboard_queue_jobs\\{queue="webhooks",state="${state}"\\} \\d+`));
    }
    expect(text).toMatch(/switchboard_queue_jobs\{queue="webhooks",state="failed"\} [1-9]/);
    // Labels stay low-cardinality: no ids of any kind.
    expect(text).not.toMatch(/connection_id|webhook_log|external_id/);
  });
});
