import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverPlugins } from '@switchboard/core';
import pg from 'pg';
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, databaseUrl } from '../support/services.js';

// Runs the built CLI and apps as a user would (npm test builds before running e2e tests).
const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'apps/cli/bin/switchboard.js');

function run(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      REDIS_URL: TEST_REDIS_URL,
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('switchboard CLI and process entry points (built)', () => {
  const dbName = `sb_test_${process.env.SWITCHBOARD_TEST_RUN_ID ?? process.pid}_cli${randomBytes(3).toString('hex')}`;
  const dbUrl = databaseUrl(dbName);

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('migrate creates the database, applies every migration, then is a no-op', () => {
    const migrations = fs.readdirSync(path.join(ROOT, 'prisma/migrations')).filter((d) => /^\d+_/.test(d));
    const first = run(CLI, ['migrate'], { DATABASE_URL: dbUrl });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`created database ${dbName}`);
    expect(first.stdout).toContain(`applied ${migrations.length} migration(s)`);
    const second = run(CLI, ['migrate'], { DATABASE_URL: dbUrl });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('database is up to date');
    const status = run(CLI, ['migrate', '--status', '--json'], { DATABASE_URL: dbUrl });
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: [], modified: [], failed: [] });
  });

  it('stops with one clear line and exit 1 on a bad variable, naming it', () => {
    const result = run(CLI, ['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
  });

  it.each([
    ['api', 'apps/api/dist/main.js'],
    ['worker', 'apps/worker/dist/main.js'],
  ])('the %s process refuses bad configuration with one line and exit 1', (_name, script) => {
    const result = run(path.join(ROOT, script), [], {
      DATABASE_URL: dbUrl,
      PORT: 'eighty',
      ENCRYPTION_KEYS: 'k1:short',
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT must be a TCP port number.*got "eighty"/);
    expect(lines[0]).toMatch(/ENCRYPTION_KEYS must be/);
    expect(lines[0]).not.toContain('short');
  });

  it('lists the bundled plugins', () => {
    const result = run(CLI, ['plugins', '--json'], { DATABASE_URL: dbUrl });
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ provider: string; status: string }>;
    expect(
      rows
        .filter((r) => r.status === 'loaded')
        .map((r) => r.provider)
        .sort(),
    ).toEqual(['generic-webhook', 'retreaver', 'ringba', 'trackdrive']);
  });

  it('migrate and plugins need neither Redis nor encryption keys', () => {
    const bare = { PATH: process.env.PATH, LOG_LEVEL: 'silent' };
    const status = spawnSync(process.execPath, [CLI, 'migrate', '--status', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...bare, DATABASE_URL: dbUrl },
    });
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: [] });
    const plugins = spawnSync(process.execPath, [CLI, 'plugins', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: bare,
    });
    expect(plugins.stderr).toBe('');
    expect((JSON.parse(plugins.stdout) as unknown[]).length).toBeGreaterThanOrEqual(3);
    // a command that does need them still names what is missing
    const list = spawnSync(process.execPath, [CLI, 'connections', 'list'], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: { ...bare, DATABASE_URL: dbUrl },
    });
    expect(list.status).toBe(1);
    expect(list.stderr).toMatch(/REDIS_URL must be .*ENCRYPTION_KEYS must be/);
  });

  it('works after npm start with no variables set: it reads .data/switchboard.env', () => {
    // what scripts/start.js writes, in the directory the operator runs the CLI from
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-'));
    try {
      fs.mkdirSync(path.join(cwd, '.data'));
      fs.writeFileSync(
        path.join(cwd, '.data', 'switchboard.env'),
        `DATABASE_URL=${dbUrl}\nREDIS_URL=${TEST_REDIS_URL}\nENCRYPTION_KEYS=k1:${randomBytes(32).toString('base64')}\n`,
        { mode: 0o600 },
      );
      const list = spawnSync(process.execPath, [CLI, 'connections', 'list', '--json'], {
        cwd,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' },
      });
      expect(list.stderr).toBe('');
      expect(list.status).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([]);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('status shows one screen, or JSON with --json', () => {
    const json = run(CLI, ['status', '--json'], {
      DATABASE_URL: dbUrl,
      REDIS_PREFIX: `e2e${randomBytes(3).toString('hex')}`,
    });
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as {
      connections: unknown[];
      queues: Array<{ queue: string }>;
      inbox: object;
    };
    expect(report.connections).toEqual([]);
    expect(report.queues.map((q) => q.queue).sort()).toEqual(['maintenance', 'sync', 'webhooks']);
    expect(report.inbox).toMatchObject({ received: 0, jobMissing: 0 });
    const screen = run(CLI, ['status'], { DATABASE_URL: dbUrl });
    expect(screen.status).toBe(0);
    expect(screen.stdout).toMatch(/CONNECTIONS \(0\)[\s\S]*QUEUES[\s\S]*INBOX[\s\S]*RECENT FAILURES/);
  });

  it('holds connections add to the same settings rules as the API (no undeclared API host)', () => {
    const env = { DATABASE_URL: dbUrl, REDIS_PREFIX: `e2e${randomBytes(3).toString('hex')}` };
    const add = (...setting: string[]) =>
      run(
        CLI,
        [
          'connections',
          'add',
          '--provider',
          'ringba',
          '--name',
          'cli settings',
          '--credential',
          'accountId=RAabc12345',
          '--credential',
          'apiToken=t0k3n-for-cli-tests',
          '--no-validate',
          ...setting.flatMap((s) => ['--setting', s]),
        ],
        env,
      );
    const internal = add('apiBaseUrl=http://169.254.169.254/latest');
    expect(internal.status).toBe(1);
    expect(internal.stderr).toMatch(
      /settings\.apiBaseUrl must be an https URL on the host the ringba plugin declares/,
    );
    const badZone = add('timeZone=Mars/Olympus');
    expect(badZone.status).toBe(1);
    expect(badZone.stderr).toMatch(/settings\.timeZone must be an IANA time zone/);
    const list = run(CLI, ['connections', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const declared = add('apiBaseUrl=https://api.ringba.com/v2');
    expect(declared.stderr).toBe('');
    expect(declared.status).toBe(0);

    // Nested settings come as JSON (--settings), checked the same way, the plugin's own keys too.
    const generic = (settings: object) =>
      run(
        CLI,
        [
          'connections',
          'add',
          '--provider',
          'generic-webhook',
          '--name',
          'cli generic',
          '--settings',
          JSON.stringify(settings),
        ],
        env,
      );
    const tooOften = generic({ sync: { intervalSeconds: 1 } });
    expect(tooOften.status).toBe(1);
    expect(tooOften.stderr).toMatch(/settings\.sync\.intervalSeconds must be a whole number/);
    const noMapping = generic({ mapping: { fields: {} } });
    expect(noMapping.status).toBe(1);
    expect(noMapping.stderr).toMatch(/settings\.mapping/);
  });

  it('rejects usage errors with exit 2', () => {
    expect(run(CLI, ['no-such-command']).status).toBe(2);
    expect(run(CLI, ['plugin-new', 'Not Valid']).status).toBe(2);
  });

  it('scaffolds a plugin that builds and is discovered', async () => {
    const id = `e2e${randomBytes(3).toString('hex')}`;
    const dir = path.join(ROOT, 'examples', `${id}-plugin`);
    try {
      const created = run(CLI, ['plugin-new', id, '--dir', dir]);
      expect(created.status).toBe(0);
      expect(fs.existsSync(path.join(dir, 'src', `${id}.adapter.ts`))).toBe(true);
      const built = spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', dir],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      expect(built.stdout + built.stderr).toBe('');
      const { loaded, failed } = await discoverPlugins({
        rootDir: ROOT,
        explicit: [dir],
        explicitOnly: true,
      });
      expect(failed).toEqual([]);
      expect(loaded.map((p) => p.manifest.provider)).toEqual([id]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
