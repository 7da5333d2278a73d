import { jest } from '@jest/globals';
import { ConnectionRepository, SyncStatusRepository } from '@switchboard/persistence';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { CallEventStore, toCallEventRow } from '@switchboard/pipeline';
import { IncrementalSyncService, SyncPageWriter } from '@switchboard/sync';
import { ConnectionAdapters } from '@switchboard/connections';
import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { createRetreaverSimulator } from '../../simulators/src/retreaver/index.js';
import { createTrackDriveSimulator } from '../../simulators/src/trackdrive/index.js';
import type { ProviderSimulator } from '../../simulators/src/simulator.js';
import { SyncHarness, busiestSecond, recordingProxy } from './sync-harness.js';

jest.setTimeout(60_000);

const DAY = 86_400;
/** Every test's simulated history ends now, so the scheduled sync's trailing window covers it. */
const SYNC = { sync: { lookbackSeconds: 4 * DAY, batchSize: 25 } };

let h: SyncHarness;
const sims: ProviderSimulator[] = [];

async function simulator<T extends ProviderSimulator>(sim: T): Promise<T> {
  await sim.start();
  sims.push(sim);
  return sim;
}

const ringba = (seed = 11, historyCalls = 60) =>
  simulator(createRingbaSimulator({ seed, historyCalls, historyEnd: new Date() }));

beforeAll(async () => {
  h = await SyncHarness.start();
});

afterAll(async () => {
  for (const sim of sims) await sim.stop().catch(() => undefined);
  await h?.stop();
});

const sync = (connectionId: string) => h.get(IncrementalSyncService).run(connectionId);
const eventsOf = (connectionId: string) =>
  h.count(`SELECT count(*) FROM call_events WHERE connection_id = $1 AND source = 'sync'`, [connectionId]);

describe('scheduled (incremental) sync', () => {
  it('stores every call of the trailing window for each bundled provider, through its real API shapes', async () => {
    const providers: ProviderSimulator[] = [
      await ringba(1, 40),
      await simulator(
        createRetreaverSimulator({ seed: 2, historyCalls: 40, anchor: new Date(), historyHours: 48 }),
      ),
      await simulator(createTrackDriveSimulator({ seed: 3, historyCalls: 40, now: new Date() })),
    ];
    for (const sim of providers) {
      const id = await h.connect(sim, { settings: SYNC });
      const outcome = await sync(id);
      expect(outcome).toMatchObject({ status: 'succeeded', skipped: 0 });
      // The provider's truth for the same window, read through the plugin.
      const { adapter } = await h.get(ConnectionAdapters).forId(id);
      const truth = new Set<string>();
      const now = new Date();
      let cursor: string | undefined;
      do {
        const page = await adapter.getCalls(
          { from: new Date(now.getTime() - 4 * DAY * 1000), to: now },
          cursor,
        );
        for (const call of page.calls) truth.add(call.externalId);
        cursor = page.nextCursor;
      } while (cursor);
      const stored = await h.calls(id);
      expect(truth.size).toBeGreaterThan(0);
      expect(new Set(stored.map((c) => c.external_id))).toEqual(truth);
      expect(stored.every((c) => c.last_synced_at !== null)).toBe(true);
      const status = await h.get(SyncStatusRepository).find(id);
      expect(status).toMatchObject({
        state: 'succeeded',
        records_changed: truth.size,
        consecutive_failures: 0,
      });
      expect(status!.high_water_mark!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('writes only what changed on later runs, and picks up a late edit at the provider', async () => {
    const sim = (await ringba(21, 30)) as RingbaSimulator;
    const id = await h.connect(sim, { settings: SYNC });
    expect(await sync(id)).toMatchObject({ status: 'succeeded' });
    const firstEvents = await eventsOf(id);
    expect(firstEvents).toBe((await h.calls(id)).length);

    const again = await sync(id);
    expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0 });
    expect(await eventsOf(id)).toBe(firstEvents);

    // Revenue is adjusted at the provider after the call (a buyer's postback, a dispute).
    const edited = sim.history().find((c) => Number(c.conversionAmount) > 0) ?? sim.history()[0];
    edited.conversionAmount = 123.45;
    edited.hasConverted = true;
    const third = await sync(id);
    expect(third).toMatchObject({ status: 'succeeded', created: 0, updated: 1 });
    const call = (await h.calls(id)).find((c) => c.external_id === edited.inboundCallId)!;
    expect(call.revenue).toBe('123.4500');
    expect(await eventsOf(id)).toBe(firstEvents + 1);
    expect((await h.get(SyncStatusRepository).find(id))!.records_changed).toBe(1);
  });

  it('never lets sync data overwrite newer webhook data, nor older webhook data overwrite a sync', async () => {
    const sim = (await ringba(31, 5)) as RingbaSimulator;
    const id = await h.connect(sim, { settings: SYNC });
    const { adapter } = await h.get(ConnectionAdapters).forId(id);
    const now = Date.now();
    const page = await adapter.getCalls({ from: new Date(now - 4 * DAY * 1000), to: new Date(now) });
    const [first, second] = page.calls;
    const target = { connectionId: id, provider: 'ringba' };
    const webhook = (call: typeof first, at: number, revenue: string) =>
      toCallEventRow({
        ...target,
        source: 'webhook',
        event: {
          type: 'call.converted',
          occurredAt: new Date(at),
          call: { ...call, revenue, providerData: { via: 'webhook' } },
        },
      });
    const store = h.get(CallEventStore);
    const writer = h.get(SyncPageWriter);

    // A webhook about a later moment than the sync's fetch wins, whatever the order of arrival.
    await store.store([webhook(first, now, '50.0000')]);
    await writer.write(target, [{ ...first, revenue: '1.0000' }], new Date(now - 10_000), 'merge');
    // The sync fetched after the (late-arriving) webhook's moment: the sync wins.
    await writer.write(target, [{ ...second, revenue: '2.0000' }], new Date(now), 'merge');
    await store.store([webhook(second, now - 10_000, '60.0000')]);

    const calls = new Map((await h.calls(id)).map((c) => [c.external_id, c]));
    expect(calls.get(first.externalId)!.revenue).toBe('50.0000');
    expect(calls.get(second.externalId)!.revenue).toBe('2.0000');
  });

  it('skips malformed rows with a counted reason per row and keeps the rest of the page', async () => {
    const sim = await simulator(
      createRetreaverSimulator({ seed: 41, historyCalls: 20, anchor: new Date(), historyHours: 48 }),
    );
    const id = await h.connect(sim, { settings: SYNC });
    sim.injectFaults({ malformedRows: 2 });
    const metrics = h.get(SwitchboardMetrics);
    const skippedSoFar = async () =>
      (await metrics.syncRecordsSkipped.get()).values.find((v) => v.labels.provider === 'retreaver')?.value ??
      0;
    const before = await skippedSoFar();
    const outcome = await sync(id);
    expect(outcome).toMatchObject({ status: 'succeeded', skipped: 2 });
    expect((await h.calls(id)).length).toBe(20);
    expect((await h.get(SyncStatusRepository).find(id))!.records_skipped).toBe(2);
    expect((await skippedSoFar()) - before).toBe(2);
  });

  it('keeps the high-water mark when the provider is down, and the next run covers the window', async () => {
    const sim = await ringba(51, 15);
    const id = await h.connect(sim, { settings: SYNC });
    sim.injectFaults({ serverErrors: 50 });
    const failed = await sync(id);
    expect(failed).toMatchObject({ status: 'failed', retryable: true });
    const status = await h.get(SyncStatusRepository).find(id);
    expect(status).toMatchObject({ state: 'failed', high_water_mark: null, consecutive_failures: 1 });
    expect(status!.error).toMatch(/5\d\d|server|unavailable/i);

    sim.injectFaults({ serverErrors: 0 });
    expect(await sync(id)).toMatchObject({ status: 'succeeded', created: 15 });
    expect((await h.get(SyncStatusRepository).find(id))!.consecutive_failures).toBe(0);
  });

  it('marks refused credentials auth_failed for that connection only, without retrying', async () => {
    const bad = await ringba(61, 10);
    const good = await ringba(62, 10);
    const badId = await h.connect(bad, {
      settings: SYNC,
      credentials: { apiToken: 'revoked-token-0000000000' },
    });
    const goodId = await h.connect(good, { settings: SYNC });
    const requestsBefore = bad.requestCount();
    const [badOutcome, goodOutcome] = await Promise.all([sync(badId), sync(goodId)]);
    expect(badOutcome).toMatchObject({ status: 'auth_failed', retryable: false });
    expect(goodOutcome).toMatchObject({ status: 'succeeded', created: 10 });
    expect(bad.requestCount() - requestsBefore).toBe(1); // no retry storm
    expect((await h.get(SyncStatusRepository).find(badId))!.state).toBe('auth_failed');
    const runs = await h.get(SwitchboardMetrics).syncRuns.get();
    expect(runs.values.some((v) => v.labels.outcome === 'auth_failed' && v.value >= 1)).toBe(true);
  });

  it('pauses only the connection the provider answered 429, for its Retry-After', async () => {
    const limited = await ringba(71, 10);
    const free = await ringba(72, 10);
    const limitedId = await h.connect(limited, { settings: SYNC });
    const freeId = await h.connect(free, { settings: SYNC });
    limited.injectFaults({ rateLimited: 1, retryAfterSeconds: 2 });
    const finished: Record<string, number> = {};
    const started = Date.now();
    await Promise.all(
      [limitedId, freeId].map(async (id) => {
        expect(await sync(id)).toMatchObject({ status: 'succeeded', created: 10 });
        finished[id] = Date.now() - started;
      }),
    );
    expect(finished[limitedId]).toBeGreaterThanOrEqual(1900);
    expect(finished[freeId]).toBeLessThan(finished[limitedId]);
  });

  it('never runs one connection twice at once across workers', async () => {
    const sim = await ringba(81, 10);
    const id = await h.connect(sim, { settings: SYNC });
    sim.injectFaults({ latencyMs: 300 });
    const second = await h.base.startWorker();
    try {
      const outcomes = await Promise.all([
        h.get(IncrementalSyncService).run(id),
        second.get(IncrementalSyncService).run(id),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['skipped', 'succeeded']);
    } finally {
      sim.injectFaults({ latencyMs: 0 });
    }
  });

  it('stops cleanly when its connection is deleted mid-sync', async () => {
    const sim = await ringba(91, 60);
    const id = await h.connect(sim, { settings: { sync: { lookbackSeconds: 4 * DAY, batchSize: 5 } } });
    sim.injectFaults({ latencyMs: 150 });
    try {
      const running = sync(id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await h.get(ConnectionRepository).delete(id);
      const outcome = await running;
      expect(outcome.status === 'succeeded' && outcome.stopped).toBe(true);
      expect(await h.count('SELECT count(*) FROM calls WHERE connection_id = $1', [id])).toBe(0);
    } finally {
      sim.injectFaults({ latencyMs: 0 });
    }
  });

  it('keeps a per-connection rate limit that two worker processes share', async () => {
    const sim = await ringba(101, 120);
    const proxy = await recordingProxy(sim.baseUrl);
    try {
      const id = await h.connect(sim, {
        settings: {
          apiBaseUrl: proxy.url,
          rateLimits: { requestsPerSecond: 4 },
          sync: { lookbackSeconds: 4 * DAY, batchSize: 5 },
        },
      });
      const second = await h.base.startWorker();
      const now = new Date();
      const windows = [
        { from: new Date(now.getTime() - 4 * DAY * 1000), to: new Date(now.getTime() - 2 * DAY * 1000) },
        { from: new Date(now.getTime() - 2 * DAY * 1000), to: now },
      ];
      // Two backfill windows of the same connection, one in each worker.
      const { SyncEngine } = await import('@switchboard/sync');
      await Promise.all(
        [h.base.app, second].map(async (app, i) => {
          const { adapter } = await app.get(ConnectionAdapters).forId(id);
          await app.get(SyncEngine).run({
            target: { connectionId: id, provider: 'ringba' },
            adapter,
            window: windows[i],
            policy: 'merge',
            pageSize: 5,
          });
        }),
      );
      expect(proxy.times.length).toBeGreaterThanOrEqual(24);
      // Unshared, the two workers would send 8 in a second. A few over 4 in one clock second is the
      // limiter counting a request when it grants it and the proxy when it arrives: granted in a
      // second's last milliseconds, it lands in the next (two did on a loaded CI machine).
      expect(busiestSecond(proxy.times)).toBeLessThanOrEqual(6);
      // Over the whole run, in the limiter's own one-second windows: within 5% of the limit.
      const spanned =
        Math.floor(proxy.times[proxy.times.length - 1] / 1000) - Math.floor(proxy.times[0] / 1000) + 1;
      expect(proxy.times.length / spanned).toBeLessThanOrEqual(4 * 1.05);
      expect((await h.calls(id)).length).toBe(120);
    } finally {
      await proxy.close();
    }
  });
});
