import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type pg from 'pg';
import { TEST_REDIS_URL } from '../support/services.js';
import { PipelineHarness, waitFor, type TestConnection } from '../integration/pipeline/pipeline-harness.js';

// The built worker (node apps/worker/dist/main.js; npm test builds first) as a real child process.
const ROOT = new URL('../..', import.meta.url).pathname;
const WORKER = path.join(ROOT, 'apps/worker/dist/main.js');

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('worker process: graceful SIGTERM and crash recovery after SIGKILL (built, child process)', () => {
  let h: PipelineHarness;
  let connection: TestConnection;
  const children: Child[] = [];

  function startWorker(): Child {
    let output = '';
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ...h.env,
        REDIS_URL: TEST_REDIS_URL,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        WORKER_PORT: '0',
        // A killed worker's jobs come back after about lock + check interval: seconds, not a minute.
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        WORKER_BATCH_SIZE: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const handle = { process: child, output: () => output, exited };
    children.push(handle);
    return handle;
  }

  /** An exclusive lock on `calls`: the worker's store statement waits, so its jobs stay in flight. */
  async function lockCalls(): Promise<pg.PoolClient> {
    const client = await h.sql.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE calls IN ACCESS EXCLUSIVE MODE');
    return client;
  }

  async function release(lock: pg.PoolClient): Promise<void> {
    await lock.query('ROLLBACK');
    lock.release();
  }

  const waitingOnLock = async () =>
    (await h.count(
      `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    )) > 0;

  beforeAll(async () => {
    // No in-process worker: only the child processes work the queue. An API app creates the
    // connection and writes inbox rows.
    h = await PipelineHarness.start({ workers: 0 });
    await h.startApi();
    connection = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await h?.stop();
  }, 60_000);

  it('on SIGTERM finishes the jobs in flight, takes no new ones, and exits', async () => {
    const { webhooks } = await h.lifecycle(connection, 2, Date.parse('2026-11-05T10:00:00.000Z'));
    const lock = await lockCalls();
    const worker = startWorker();
    const ids = await h.accept(connection, webhooks);
    await waitFor(waitingOnLock, 30_000); // the batch is in PostgreSQL, blocked
    const active = await h.queue.getActiveCount();
    expect(active).toBeGreaterThan(0);

    worker.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await h.accept(
      connection,
      (await h.lifecycle(connection, 1, Date.parse('2026-11-06T10:00:00.000Z'))).webhooks,
    );
    await release(lock);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      worker.exited,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`worker did not exit:\n${worker.output()}`)), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(exit).toBeDefined();

    // Every job it had started finished: the rows are processed and the jobs completed.
    const inFlight = (await h.queue.getJobs(['completed']))
      .map((j) => j.id as string)
      .filter((id) => ids.includes(id));
    expect(inFlight.length).toBe(active);
    for (const id of inFlight) expect((await h.log(id)).status).toBe('processed');
    expect(await h.queue.getActiveCount()).toBe(0);
    // The jobs that came after SIGTERM wait for the next worker.
    for (const id of late) expect(await h.queue.getJob(id).then((j) => j?.getState())).toBe('waiting');
    expect(worker.output()).not.toMatch(/error/i);

    // A new worker takes the rest.
    const next = startWorker();
    await h.drained(30_000);
    for (const id of [...ids, ...late]) expect((await h.log(id)).status).toBe('processed');
    next.process.kill('SIGTERM');
    await next.exited;
  }, 90_000);

  it('after SIGKILL mid-job loses nothing: the jobs come back as stalled and are processed once', async () => {
    const { calls, webhooks } = await h.lifecycle(connection, 2, Date.parse('2026-11-07T10:00:00.000Z'));
    const lock = await lockCalls();
    const victim = startWorker();
    const ids = await h.accept(connection, webhooks);
    await waitFor(waitingOnLock, 30_000);
    const activeIds = (await h.queue.getJobs(['active'])).map((j) => j.id as string);
    expect(activeIds.length).toBeGreaterThan(0);

    victim.process.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    await release(lock);

    const rescuer = startWorker();
    await h.drained(30_000);
    for (const id of ids) expect((await h.log(id)).status).toBe('processed');
    for (const id of activeIds) {
      const job = await h.queue.getJob(id);
      expect(await job?.getState()).toBe('completed');
      expect(job?.stalledCounter).toBe(1); // it came back through the stalled check
    }
    // Exactly one event per webhook and one row per call, whatever the killed worker left behind.
    expect(
      await h.count('SELECT count(*) FROM call_events WHERE webhook_log_id = ANY($1::uuid[])', [ids]),
    ).toBe(ids.length);
    for (const call of calls)
      expect(await h.count('SELECT count(*) FROM calls WHERE external_id = $1', [call.externalId])).toBe(1);
    rescuer.process.kill('SIGTERM');
    await rescuer.exited;
  }, 90_000);
});
