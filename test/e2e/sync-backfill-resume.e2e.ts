import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ConnectionService } from '@switchboard/connections';
import { SyncRunRepository, type SyncRunRow } from '@switchboard/persistence';
import { SyncRunService } from '@switchboard/sync';
import { createRingbaSimulator, type RingbaSimulator } from '../simulators/src/ringba/index.js';
import { PipelineHarness, waitFor } from '../integration/pipeline/pipeline-harness.js';
import { TEST_REDIS_URL } from '../support/services.js';

// The built worker (npm test builds first) as a real child process, killed mid-backfill.
const ROOT = new URL('../..', import.meta.url).pathname;
const WORKER = path.join(ROOT, 'apps/worker/dist/main.js');
const DAY_MS = 86_400_000;

describe('backfill resumes after its worker is SIGKILLed (built worker, child processes)', () => {
  let h: PipelineHarness;
  let sim: RingbaSimulator;
  const children: ChildProcess[] = [];
  const historyEnd = new Date(Date.now() - 60_000);

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ...h.env,
        REDIS_URL: TEST_REDIS_URL,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        WORKER_PORT: '0',
        WORKER_LOCK_DURATION_MS: '4000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        SYNC_SCHEDULE_ENABLED: 'false',
      },
      // Its warnings go through this process (never straight to the runner's own output, which a
      // child that outlived the run would hold open).
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    h = await PipelineHarness.start({
      workers: 0,
      env: { ALLOW_CUSTOM_API_BASE_URLS: 'true', BACKFILL_CHUNK_SECONDS: String(6 * 3600) },
    });
    await h.startApi();
    sim = createRingbaSimulator({ seed: 17, historyCalls: 120, historyEnd });
    await sim.start();
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await sim?.stop();
    await h?.stop();
  }, 60_000);

  it('picks up after the last finished chunk (after a SIGKILL and a SIGTERM), redoes none of the earlier ones, and ends complete', async () => {
    const { connection } = await h.app.get(ConnectionService).create({
      provider: 'ringba',
      name: 'ringba resume test',
      credentials: sim.credentials,
      settings: { apiBaseUrl: sim.baseUrl, sync: { batchSize: 4 } },
      validate: false,
    });
    sim.injectFaults({ latencyMs: 120 });
    const runs = h.app.get(SyncRunService);
    const run = await runs.start({
      connectionId: connection.id,
      kind: 'backfill',
      from: new Date(historyEnd.getTime() - 3 * DAY_MS),
      to: historyEnd,
    });
    expect(run.chunks_total).toBe(12);
    const repository = h.app.get(SyncRunRepository);
    const current = async () => (await repository.find(run.id)) as SyncRunRow;

    const first = startWorker();
    await waitFor(async () => (await current()).chunks_done >= 3, 40_000, 50);
    first.kill('SIGKILL');
    const atKill = await current();
    const requestsAtKill = sim.requestCount();
    expect(atKill.chunks_done).toBeLessThan(12);

    // A deploy: SIGTERM stops the run after its current page instead of waiting for the whole
    // backfill, and the process exits.
    const second = startWorker();
    await waitFor(async () => (await current()).chunks_done >= atKill.chunks_done + 2, 40_000, 50);
    const termAt = Date.now();
    second.kill('SIGTERM');
    // Nest closes the app, then re-raises the signal: a clean stop ends by SIGTERM, not a crash code.
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      second.once('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
    expect(Date.now() - termAt).toBeLessThan(10_000);
    expect((await current()).state).toBe('running');

    startWorker();
    await waitFor(async () => !['queued', 'running'].includes((await current()).state), 60_000, 100);
    const done = await current();
    expect(done).toMatchObject({ state: 'succeeded', chunks_done: 12 });
    expect(done.attempts).toBeGreaterThanOrEqual(3);
    expect(await h.count('SELECT count(*) FROM calls WHERE connection_id = $1', [connection.id])).toBe(120);
    // Only the chunks after the kill were fetched again (plus the one in progress when it died).
    const pagesPerChunkAtMost = 6;
    expect(sim.requestCount() - requestsAtKill).toBeLessThanOrEqual(
      done.pages - atKill.pages + pagesPerChunkAtMost,
    );
  }, 120_000);
});
