import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createRingbaSimulator, type RingbaSimulator } from '../simulators/src/ringba/index.js';
import { SyncHarness } from '../integration/sync/sync-harness.js';
import { TEST_REDIS_URL } from '../support/services.js';

// The built CLI (npm test builds first) against a worker running in this process.
const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'apps/cli/bin/switchboard.js');
const DAY_MS = 86_400_000;

describe('switchboard backfill / consistency / sync-runs (built CLI)', () => {
  let h: SyncHarness;
  let sim: RingbaSimulator;
  let connectionId: string;
  const historyEnd = new Date(Date.now() - 60_000);
  const from = new Date(historyEnd.getTime() - 2 * DAY_MS).toISOString();
  const to = historyEnd.toISOString();

  /** Runs the CLI without blocking this process (its worker must keep working meanwhile). */
  function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...h.base.env, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    h = await SyncHarness.start();
    sim = createRingbaSimulator({
      seed: 29,
      historyCalls: 40,
      historyEnd: new Date(historyEnd.getTime() - 1000),
    });
    await sim.start();
    connectionId = await h.connect(sim, { settings: { sync: { batchSize: 10 } } });
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
    await h?.stop();
  }, 60_000);

  it('backfill --json follows the run to the end and prints it', async () => {
    const result = await cli([
      'backfill',
      '--connection',
      connectionId,
      '--from',
      from,
      '--to',
      to,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ kind: 'backfill', state: 'succeeded', chunks: { done: 2, total: 2 } });
    expect(run.calls.created).toBeGreaterThan(0);
    expect(await h.count('SELECT count(*) FROM calls WHERE connection_id = $1', [connectionId])).toBe(
      run.calls.created,
    );
  }, 60_000);

  it('consistency prints a readable report of the differences', async () => {
    const { rows } = await h.base.sql.query<{ external_id: string }>(
      'SELECT external_id FROM calls WHERE connection_id = $1 ORDER BY external_id LIMIT 1',
      [connectionId],
    );
    await h.base.sql.query('UPDATE calls SET revenue = 999 WHERE connection_id = $1 AND external_id = $2', [
      connectionId,
      rows[0].external_id,
    ]);
    const result = await cli(['consistency', '--connection', connectionId, '--from', from, '--to', to]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('consistency');
    expect(result.stdout).toContain('differences in 1 calls (revenue: 1)');
    expect(result.stdout).toMatch(new RegExp(`${rows[0].external_id}\\s+revenue\\s+999\\.0000`));
  }, 60_000);

  it('sync-runs list shows both runs; bad arguments fail with one line', async () => {
    const listed = await cli(['sync-runs', 'list', '--connection', connectionId, '--json']);
    expect(listed.status).toBe(0);
    expect(
      JSON.parse(listed.stdout)
        .items.map((r: { kind: string }) => r.kind)
        .sort(),
    ).toEqual(['backfill', 'consistency']);

    const badDate = await cli(['backfill', '--connection', connectionId, '--from', 'yesterday', '--to', to]);
    expect(badDate.status).toBe(1);
    expect(badDate.stderr.trim()).toBe(
      'switchboard: --from must be a date like 2026-11-01 or 2026-11-01T12:00:00Z',
    );

    const unknown = await cli([
      'recover',
      '--connection',
      '00000000-0000-4000-8000-000000000000',
      '--from',
      from,
      '--to',
      to,
    ]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no connection 00000000-0000-4000-8000-000000000000');
  }, 60_000);
});
