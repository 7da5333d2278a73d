import { jest } from '@jest/globals';
import { ConnectionService } from '@switchboard/connections';
import { SyncRunRepository, SyncStatusRepository } from '@switchboard/persistence';
import { SyncScheduler } from '@switchboard/sync';
import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { waitFor } from '../pipeline/pipeline-harness.js';
import { SyncHarness } from './sync-harness.js';

jest.setTimeout(60_000);

let h: SyncHarness;
let sim: RingbaSimulator;

beforeAll(async () => {
  h = await SyncHarness.start({
    env: { SYNC_SCHEDULE_ENABLED: 'true', CONSISTENCY_CHECK_INTERVAL_SECONDS: '3600' },
  });
  sim = createRingbaSimulator({ seed: 3, historyCalls: 12, historyEnd: new Date() });
  await sim.start();
  // Let the worker's start-up reconcile finish, and keep its timer from running beside the tests'.
  const scheduler = h.get(SyncScheduler);
  await scheduler.reconcile();
  scheduler.onModuleDestroy();
});

afterAll(async () => {
  await sim?.stop();
  await h?.stop();
});

const schedulers = async () =>
  new Map((await h.syncQueue.getJobSchedulers(0, -1)).map((s) => [s.key, s.every]));

describe('sync schedules', () => {
  it('runs one reconcile at a time in a process', async () => {
    const scheduler = h.get(SyncScheduler);
    const id = await h.connect(sim);
    // Overlapping calls: the second reads what the first wrote, so each schedule is reported once.
    const [a, b] = await Promise.all([scheduler.reconcile(), scheduler.reconcile()]);
    expect([...a.scheduled, ...b.scheduled].sort()).toEqual([`consistency-${id}`, `incremental-${id}`]);
    await h.get(ConnectionService).remove(id);
    expect((await scheduler.reconcile()).removed.sort()).toEqual([`consistency-${id}`, `incremental-${id}`]);
  });

  it('keeps one job scheduler per live connection, runs it, and drops it with the connection', async () => {
    const scheduler = h.get(SyncScheduler);
    const id = await h.connect(sim, {
      settings: { sync: { intervalSeconds: 120, lookbackSeconds: 4 * 86_400 } },
    });
    const shadow = await h.connect(sim, { mode: 'shadow' });

    const first = await scheduler.reconcile();
    expect(first.scheduled.sort()).toEqual([`consistency-${id}`, `incremental-${id}`]);
    expect((await schedulers()).get(`incremental-${id}`)).toBe(120_000);
    expect((await schedulers()).has(`incremental-${shadow}`)).toBe(false);

    // The first scheduled run happens now, not an interval from now.
    await waitFor(async () => (await h.get(SyncStatusRepository).find(id))?.state === 'succeeded', 20_000);
    expect(await h.count('SELECT count(*) FROM calls WHERE connection_id = $1', [id])).toBe(12);
    // ...and the scheduled consistency check queued an ordinary run.
    await waitFor(
      async () =>
        (await h.get(SyncRunRepository).list({ connectionId: id, kind: 'consistency' }, 5)).length > 0,
      20_000,
    );

    // Idempotent: nothing to change.
    expect(await scheduler.reconcile()).toMatchObject({ scheduled: [], removed: [] });

    // A changed interval is applied; a connection switched to shadow loses its schedules.
    await h
      .get(ConnectionService)
      .update(id, { settings: { apiBaseUrl: sim.baseUrl, sync: { intervalSeconds: 600 } } });
    expect((await scheduler.reconcile()).scheduled).toEqual([`incremental-${id}`]);
    expect((await schedulers()).get(`incremental-${id}`)).toBe(600_000);
    await h.get(ConnectionService).update(id, { mode: 'shadow' });
    expect((await scheduler.reconcile()).removed.sort()).toEqual([`consistency-${id}`, `incremental-${id}`]);
    expect([...(await schedulers()).keys()]).toEqual([]);
  });
});
