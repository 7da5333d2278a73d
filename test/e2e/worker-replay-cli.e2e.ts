import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { TEST_REDIS_URL } from '../support/services.js';
import { PipelineHarness, type TestConnection } from '../integration/pipeline/pipeline-harness.js';

// `npx switchboard replay` as an operator runs it (built CLI; npm test builds first), with a worker
// in this process to process what it puts back on the queue.
const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'apps/cli/bin/switchboard.js');

describe('switchboard replay (built CLI)', () => {
  let h: PipelineHarness;
  let trackdrive: TestConnection;
  let ringba: TestConnection;

  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, 'replay', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        ...h.env,
        REDIS_URL: TEST_REDIS_URL,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
      },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  /** Good webhooks whose rows are `failed` (as after retries ran out while the database was away). */
  async function failedRows(connection: TestConnection, count: number, day: string): Promise<string[]> {
    const { webhooks } = await h.lifecycle(connection, count, Date.parse(`${day}T10:00:00.000Z`));
    const ids = await h.insertRows(connection, webhooks);
    await h.sql.query(
      `UPDATE webhook_logs SET status = 'failed', attempts = 8, error = 'database unavailable', created_at = $2 WHERE id = ANY($1::uuid[])`,
      [ids, `${day}T10:00:00.000Z`],
    );
    return ids;
  }

  beforeAll(async () => {
    h = await PipelineHarness.start();
    trackdrive = await h.createConnection('trackdrive');
    ringba = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('replays one webhook by id', async () => {
    const [id] = await failedRows(trackdrive, 1, '2026-10-20');
    const result = cli(id);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('replayed 1 webhook(s)\n');
    await h.drained();
    expect(await h.log(id)).toMatchObject({ status: 'processed', attempts: 1, error: null });
  }, 60_000);

  it('replays by filter: status, provider and time range, bounded by --limit', async () => {
    const old = await failedRows(ringba, 1, '2026-10-25');
    const recent = await failedRows(ringba, 2, '2026-11-02');
    const other = await failedRows(trackdrive, 1, '2026-11-03');

    const limited = cli(
      '--status',
      'failed',
      '--provider',
      'ringba',
      '--since',
      '2026-11-01',
      '--limit',
      '5',
      '--json',
    );
    expect(limited.status).toBe(0);
    expect(JSON.parse(limited.stdout)).toMatchObject({ replayed: 5 });
    const rest = cli('--status', 'failed', '--provider', 'ringba', '--since', '2026-11-01');
    expect(rest.stdout).toBe(`replayed ${recent.length - 5} webhook(s)\n`);
    await h.drained();
    for (const id of recent) expect((await h.log(id)).status).toBe('processed');
    for (const id of [...old, ...other]) expect((await h.log(id)).status).toBe('failed');
    expect(cli('--provider', 'ringba', '--since', '2026-11-01').stdout).toBe('replayed 0 webhook(s)\n');
  }, 60_000);

  it('says what is wrong in one line with exit status 1', () => {
    for (const [args, message] of [
      [['not-a-uuid'], /not a webhook log id/],
      [['00000000-0000-4000-8000-000000000000'], /no webhook log/],
      [
        ['00000000-0000-4000-8000-000000000000', '--provider', 'ringba'],
        /either a webhook log id or filters/,
      ],
      [['--status', 'rejected'], /--status must be one of/],
      [['--since', 'yesterday'], /--since must be a date/],
      [['--limit', '0'], /--limit must be/],
    ] as Array<[string[], RegExp]>) {
      const result = cli(...args);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  }, 60_000);
});
