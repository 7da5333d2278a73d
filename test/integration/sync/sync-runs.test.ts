import { jest } from '@jest/globals';
import { ConnectionAdapters, ConnectionService } from '@switchboard/connections';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { SyncRunRepository, type SyncRunRow } from '@switchboard/persistence';
import { SyncRunService, type RunReport } from '@switchboard/sync';
import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { waitFor } from '../pipeline/pipeline-harness.js';
import { SyncHarness } from './sync-harness.js';

jest.setTimeout(90_000);

const DAY_MS = 86_400_000;
let h: SyncHarness;
const sims: RingbaSimulator[] = [];
const HISTORY_END = new Date(Date.now() - 60_000);
const WINDOW = { from: new Date(HISTORY_END.getTime() - 3 * DAY_MS), to: HISTORY_END };

async function ringba(seed: number, historyCalls: number): Promise<RingbaSimulator> {
  const sim = createRingbaSimulator({ seed, historyCalls, historyEnd: HISTORY_END });
  await sim.start();
  sims.push(sim);
  return sim;
}

beforeAll(async () => {
  h = await SyncHarness.start();
});

afterAll(async () => {
  for (const sim of sims) await sim.stop().catch(() => undefined);
  await h?.stop();
});

const runs = () => h.get(SyncRunService);

/** Waits for the worker to finish a run (its job is on the harness's Sync queue). */
async function finished(id: string, timeoutMs = 60_000): Promise<SyncRunRow> {
  let run: SyncRunRow | undefined;
  await waitFor(async () => {
    run = await h.get(SyncRunRepository).find(id);
    return run !== undefined && !['queued', 'running'].includes(run.state);
  }, timeoutMs);
  return run!;
}

/** Every call the provider lists for the window, read through the plugin. */
async function providerTruth(connectionId: string): Promise<Set<string>> {
  const { adapter } = await h.get(ConnectionAdapters).forId(connectionId);
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await adapter.getCalls({ ...WINDOW }, cursor);
    for (const call of page.calls) ids.add(call.externalId);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('backfill', () => {
  it('fills the window chunk by chunk, with progress, and ends equal to the provider', async () => {
    const sim = await ringba(5, 90);
    const id = await h.connect(sim, { settings: { sync: { batchSize: 20 } } });
    const started = await runs().start({
      connectionId: id,
      kind: 'backfill',
      ...WINDOW,
      requestedBy: 'test',
    });
    expect(started).toMatchObject({ state: 'queued', chunks_total: 3, chunks_done: 0 });

    const run = await finished(started.id);
    expect(run).toMatchObject({ state: 'succeeded', chunks_done: 3, calls_skipped: 0 });
    const truth = await providerTruth(id);
    expect(run.calls_seen).toBe(truth.size);
    expect(run.calls_created).toBe(truth.size);
    expect(new Set((await h.calls(id)).map((c) => c.external_id))).toEqual(truth);
    expect(runs().progress(run)).toMatchObject({ percent: 100, etaSeconds: 0 });

    // A second backfill of the same window finds nothing new: idempotent.
    const again = await finished((await runs().start({ connectionId: id, kind: 'backfill', ...WINDOW })).id);
    expect(again).toMatchObject({ state: 'succeeded', calls_created: 0, calls_updated: 0 });
    expect((await h.calls(id)).length).toBe(truth.size);
  });

  it('can be canceled while it runs', async () => {
    const sim = await ringba(6, 90);
    const id = await h.connect(sim, { settings: { sync: { batchSize: 5 } } });
    sim.injectFaults({ latencyMs: 200 });
    try {
      const started = await runs().start({ connectionId: id, kind: 'backfill', ...WINDOW });
      await waitFor(async () => ((await h.get(SyncRunRepository).find(started.id))?.pages ?? 0) > 0 || true);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await runs().cancel(started.id);
      const run = await finished(started.id);
      expect(run.state).toBe('canceled');
      expect(run.chunks_done).toBeLessThan(3);
      expect((await h.calls(id)).length).toBeLessThan(90);
    } finally {
      sim.injectFaults({ latencyMs: 0 });
    }
  });

  it('refuses bad windows and unknown connections with a clear reason', async () => {
    const sim = await ringba(7, 1);
    const id = await h.connect(sim);
    await expect(
      runs().start({ connectionId: id, kind: 'backfill', from: WINDOW.to, to: WINDOW.from }),
    ).rejects.toMatchObject({
      code: 'invalid_window',
    });
    await expect(
      runs().start({
        connectionId: id,
        kind: 'backfill',
        from: new Date('2020-01-01'),
        to: new Date('2022-01-01'),
      }),
    ).rejects.toMatchObject({ code: 'invalid_window', message: expect.stringMatching(/at most 400 days/) });
    await expect(
      runs().start({ connectionId: '00000000-0000-4000-8000-000000000000', kind: 'backfill', ...WINDOW }),
    ).rejects.toMatchObject({ code: 'connection_not_found' });
  });
});

describe('missed-webhook recovery', () => {
  it('creates exactly the calls we lack and completes the ones whose final state never arrived', async () => {
    const sim = await ringba(8, 60);
    const id = await h.connect(sim, { settings: { sync: { batchSize: 25 } } });
    await finished((await runs().start({ connectionId: id, kind: 'backfill', ...WINDOW })).id);
    const stored = await h.calls(id);
    const final = stored.filter((c) =>
      ['completed', 'missed', 'rejected', 'canceled', 'failed', 'busy'].includes(c.status),
    );
    // Webhooks that never came: 5 calls unknown here, 3 stuck before their final state.
    const lost = stored.slice(0, 5).map((c) => c.external_id);
    const stuck = final
      .filter((c) => !lost.includes(c.external_id))
      .slice(0, 3)
      .map((c) => c.external_id);
    await h.base.sql.query('DELETE FROM calls WHERE connection_id = $1 AND external_id = ANY($2)', [
      id,
      lost,
    ]);
    await h.base.sql.query(
      `UPDATE calls SET status = 'in_progress', field_times = field_times - 'status'
       WHERE connection_id = $1 AND external_id = ANY($2)`,
      [id, stuck],
    );
    // Something we hold that is merely different is not recovery's business.
    await h.base.sql.query(
      `UPDATE calls SET caller_number = '+15550000000' WHERE connection_id = $1 AND external_id = $2`,
      [id, final.find((c) => !lost.includes(c.external_id) && !stuck.includes(c.external_id))!.external_id],
    );

    const run = await finished((await runs().start({ connectionId: id, kind: 'recovery', ...WINDOW })).id);
    expect(run.state).toBe('succeeded');
    const report = run.report as unknown as RunReport;
    expect(new Set(report.created!.ids)).toEqual(new Set(lost));
    expect(new Set(report.completed!.ids)).toEqual(new Set(stuck));
    expect(run.calls_created).toBe(5);
    expect(run.calls_updated).toBe(3);
    const after = await h.calls(id);
    expect(after.length).toBe(stored.length); // no duplicates
    for (const externalId of stuck) {
      expect(after.find((c) => c.external_id === externalId)!.status).not.toBe('in_progress');
    }
    expect(
      await h.count(
        `SELECT count(*) FROM calls WHERE connection_id = $1 AND caller_number = '+15550000000'`,
        [id],
      ),
    ).toBe(1);

    const second = await finished((await runs().start({ connectionId: id, kind: 'recovery', ...WINDOW })).id);
    expect(second).toMatchObject({ state: 'succeeded', calls_created: 0, calls_updated: 0 });
  });
});

describe('consistency check', () => {
  it('reports calls missing on each side and field differences, writes nothing, and sets the drift gauge', async () => {
    const sim = await ringba(9, 40);
    const id = await h.connect(sim, { settings: { sync: { batchSize: 25 } } });
    await finished((await runs().start({ connectionId: id, kind: 'backfill', ...WINDOW })).id);
    const stored = await h.calls(id);
    const [gone, changed] = [stored[0].external_id, stored[1].external_id];
    await h.base.sql.query('DELETE FROM calls WHERE connection_id = $1 AND external_id = $2', [id, gone]);
    await h.base.sql.query(
      `UPDATE calls SET revenue = 999.99, duration_seconds = 1 WHERE connection_id = $1 AND external_id = $2`,
      [id, changed],
    );
    await h.base.sql.query(
      `INSERT INTO calls (connection_id, provider, external_id, started_at, last_event_at)
       VALUES ($1, 'ringba', 'RGB-only-here', $2, $2)`,
      [id, new Date(WINDOW.from.getTime() + DAY_MS)],
    );
    const before = await h.count('SELECT count(*) FROM call_events WHERE connection_id = $1', [id]);

    const run = await finished((await runs().start({ connectionId: id, kind: 'consistency', ...WINDOW })).id);
    expect(run.state).toBe('succeeded');
    const report = run.report as unknown as RunReport;
    expect(report.missingHere).toEqual({ total: 1, ids: [gone] });
    expect(report.missingAtProvider).toEqual({ total: 1, ids: ['RGB-only-here'] });
    expect(report.fieldMismatches!.total).toBe(1);
    expect(report.fieldMismatches!.calls[0].externalId).toBe(changed);
    const fields = report.fieldMismatches!.calls[0].differences.map((d) => d.field).sort();
    expect(fields).toContain('revenue');
    expect(fields).toContain('duration_seconds');
    expect(report.matching).toBe(stored.length - 2);
    expect(await h.count('SELECT count(*) FROM call_events WHERE connection_id = $1', [id])).toBe(before);
    expect(
      await h.count('SELECT count(*) FROM calls WHERE connection_id = $1 AND external_id = $2', [id, gone]),
    ).toBe(0);

    const drift = (await h.get(SwitchboardMetrics).consistencyDrift.get()).values.filter(
      (v) => v.labels.connection === id,
    );
    expect(Object.fromEntries(drift.map((v) => [v.labels.kind, v.value]))).toEqual({
      missing_here: 1,
      missing_at_provider: 1,
      field_mismatch: 1,
    });
  });
});

describe('parallel-run report', () => {
  it("compares a shadow connection's webhooks with the provider, and refuses live connections", async () => {
    const api = await h.base.startApi();
    await api.listen(0, '127.0.0.1');
    const port = (api.getHttpServer().address() as import('node:net').AddressInfo).port;
    const sim = await ringba(10, 6);
    const { connection, webhookSecret } = await h.base.app.get(ConnectionService).create({
      provider: 'ringba',
      name: 'ringba shadow',
      credentials: sim.credentials,
      settings: { apiBaseUrl: sim.baseUrl },
      mode: 'shadow',
      validate: false,
    });
    const live = await h.connect(sim);
    await expect(runs().start({ connectionId: live, kind: 'parallel_run', ...WINDOW })).rejects.toMatchObject(
      {
        code: 'not_available',
      },
    );

    // Three calls whose pixels reach the shadow connection (logged, not processed).
    const target = {
      webhookUrl: `http://127.0.0.1:${port}/webhooks/ringba/${connection.id}`,
      secret: webhookSecret,
    };
    const simulated: string[] = [];
    for (let i = 0; i < 3; i++) {
      const fired = await sim.simulateCall(target, { outcome: 'completed' });
      // A shadow connection answers 200 (logged, ignored) rather than 202 (queued).
      expect(fired.map((f) => f.status)).toEqual(fired.map(() => 200));
      simulated.push(fired[0].callId);
    }
    expect(await h.count('SELECT count(*) FROM calls WHERE connection_id = $1', [connection.id])).toBe(0);

    const from = new Date(Date.now() - 4 * DAY_MS);
    const run = await finished(
      (await runs().start({ connectionId: connection.id, kind: 'parallel_run', from, to: new Date() })).id,
    );
    expect(run.state).toBe('succeeded');
    const report = run.report as unknown as RunReport;
    // The API lists the 6 history calls (no webhook ever told of them) and the 3 simulated ones.
    expect(report.missingHere!.total).toBe(6);
    expect(report.missingHere!.ids.some((id) => simulated.includes(id))).toBe(false);
    expect(report.missingAtProvider).toEqual({ total: 0, ids: [] });
    expect(report.matching! + report.fieldMismatches!.total).toBe(3);
    expect(await h.count('SELECT count(*) FROM calls WHERE connection_id = $1', [connection.id])).toBe(0);
  });
});
