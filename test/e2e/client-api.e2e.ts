import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import pg from 'pg';
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, databaseUrl } from '../support/services.js';

// The built CLI and API as an operator runs them (npm test builds before the e2e tests):
// `switchboard keys` creates a key the API accepts with its scope and refuses once revoked, the
// API's open mode binds to loopback with a loud warning, and every request leaves one log line.
const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'apps/cli/bin/switchboard.js');
const API = path.join(ROOT, 'apps/api/dist/main.js');

describe('client API, built (keys from the CLI, open-mode warning, request log)', () => {
  const dbName = `sb_test_${process.env.SWITCHBOARD_TEST_RUN_ID ?? process.pid}_client${randomBytes(3).toString('hex')}`;
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl(dbName),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `sbt-e2e-${randomBytes(4).toString('hex')}`,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'info',
  };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
  const running: ChildProcess[] = [];

  /** Starts the built API; resolves with its base URL and what it printed so far. */
  async function startApi(extra: Record<string, string>): Promise<{ base: string; output: () => string }> {
    const port = 4100 + Math.floor(Math.random() * 800);
    const child = spawn(process.execPath, [API], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), ...extra },
    });
    running.push(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${base}/health/live`)).ok) return { base, output: () => output };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the API did not start: ${output}`);
  }

  beforeAll(() => {
    const migrated = cli('migrate');
    expect(migrated.status).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const child of running) child.kill('SIGTERM');
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates a key with `switchboard keys create` that the API accepts for its scope only, until revoked', async () => {
    const adminToken = randomBytes(24).toString('hex');
    const { base, output } = await startApi({ NODE_ENV: 'production', ADMIN_TOKEN: adminToken });
    const created = cli('keys', 'create', '--scope', 'read', '--expires', '30d', '--name', 'e2e', '--json');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const { key, apiKey } = JSON.parse(created.stdout) as {
      key: string;
      apiKey: { id: string; prefix: string };
    };
    const as = { authorization: `Bearer ${key}` };
    expect((await fetch(`${base}/calls`, { headers: as })).status).toBe(200);
    expect((await fetch(`${base}/api-keys`, { headers: as })).status).toBe(403);
    expect((await fetch(`${base}/calls`)).status).toBe(401);

    const listed = cli('keys', 'list');
    expect(listed.stdout).toContain(apiKey.prefix);
    expect(listed.stdout).not.toContain(key);
    const revoked = cli('keys', 'revoke', apiKey.id);
    expect(revoked.stderr).toBe(''); // says why, if it ever fails again (once exit 1 in a busy CI run)
    expect(revoked.status).toBe(0);
    // A revoked key is refused within the API's 5 s lookup cache.
    await new Promise((r) => setTimeout(r, 5_500));
    expect((await fetch(`${base}/calls`, { headers: as })).status).toBe(401);
    const bad = cli('keys', 'create', '--scope', 'everything');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--scope must be one of read, write, admin/);

    const audit = (await (
      await fetch(`${base}/audit-log?targetType=api_key`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json()) as {
      items: Array<{ action: string; actor: { kind: string } }>;
    };
    expect(audit.items.map((i) => `${i.actor.kind} ${i.action}`)).toEqual([
      'cli api_key.revoked',
      'cli api_key.created',
    ]);

    // One request line each, with the caller, never the key.
    await new Promise((r) => setTimeout(r, 200));
    const lines = output()
      .split('\n')
      .filter((l) => l.includes('"request completed"'))
      .map((l) => JSON.parse(l) as { route: string; keyId: string | null; statusCode: number });
    expect(lines.filter((l) => l.route === '/calls' && l.keyId === apiKey.id).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(output()).not.toContain(key);
    expect(output()).not.toContain(adminToken);
  }, 240_000);

  it('warns loudly and listens on loopback only when open (no ADMIN_TOKEN, NODE_ENV unset, HOST unset)', async () => {
    const { base, output } = await startApi({});
    expect(output()).toMatch(/THE API IS OPEN/);
    expect(output()).toMatch(/listening on 127\.0\.0\.1:/);
    expect((await fetch(`${base}/connections`)).status).toBe(200);
  }, 120_000);

  it('refuses a whitespace ADMIN_TOKEN at startup with one clear line', () => {
    const result = spawnSync(process.execPath, [API], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, ADMIN_TOKEN: ' '.repeat(24) },
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/ADMIN_TOKEN must be .*contains whitespace/);
  }, 60_000);
});
