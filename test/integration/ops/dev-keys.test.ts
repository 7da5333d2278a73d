import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { EnvelopeCipher } from '@switchboard/crypto';
// The quick start's key handling (scripts/start.js uses it), tested on its own.
import { resolveDevKeys, writeCliEnv } from '../../../scripts/dev-keys.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('npm start: ENCRYPTION_KEYS for the quick start (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataDir: string;
  const oldKey = key('dev1');

  beforeAll(async () => {
    db = await createTestDatabase();
    const [id, b64] = oldKey.split(':');
    const cipher = new EnvelopeCipher([{ id, key: Buffer.from(b64, 'base64') }]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `INSERT INTO provider_connections (id, provider_type, name, credentials, webhook_secrets, key_id, updated_at)
       VALUES ($1, 'ringba', 'old', $2, $3, 'dev1', now())`,
      [randomUUID(), cipher.encryptJson({ apiToken: 't' }), cipher.encryptJson(['s'])],
    );
    await client.end();
  }, 60_000);

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-data-'));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to generate a new key while the database holds connections under another one, and says why', async () => {
    // .data was cleaned: no dev-secrets.json, no ENCRYPTION_KEYS in the environment
    await expect(resolveDevKeys({ databaseUrl: db.url, dataDir, env: {} })).rejects.toThrow(
      /^refusing to generate a new ENCRYPTION_KEYS: the database .* holds 1 connection\(s\) encrypted under key "dev1", and .*dev-secrets\.json \(where npm start kept that key\) is gone; a new key could not decrypt them\. Restore that file, or run with ENCRYPTION_KEYS=/,
    );
    expect(fs.existsSync(path.join(dataDir, 'dev-secrets.json'))).toBe(false);
  });

  it('refuses keys that cannot decrypt the stored connections (same id, other key)', async () => {
    await expect(
      resolveDevKeys({ databaseUrl: db.url, dataDir, env: { ENCRYPTION_KEYS: key('dev1') } }),
    ).rejects.toThrow(
      /the keys in ENCRYPTION_KEYS cannot decrypt 1 connection\(s\) .*encrypted under key "dev1"/,
    );
    fs.writeFileSync(
      path.join(dataDir, 'dev-secrets.json'),
      JSON.stringify({ ENCRYPTION_KEYS: key('dev1') }),
    );
    await expect(resolveDevKeys({ databaseUrl: db.url, dataDir, env: {} })).rejects.toThrow(
      /dev-secrets\.json cannot decrypt/,
    );
  });

  it('uses the right key, from the environment or the kept file', async () => {
    expect(await resolveDevKeys({ databaseUrl: db.url, dataDir, env: { ENCRYPTION_KEYS: oldKey } })).toEqual({
      keys: oldKey,
      generated: false,
    });
    fs.writeFileSync(
      path.join(dataDir, 'dev-secrets.json'),
      JSON.stringify({ ENCRYPTION_KEYS: `k2:${randomBytes(32).toString('base64')},${oldKey}` }),
    );
    expect((await resolveDevKeys({ databaseUrl: db.url, dataDir, env: {} })).generated).toBe(false);
  });

  it('generates and keeps a key for an empty database', async () => {
    const empty = new URL(db.url);
    empty.pathname = `/sb_absent_${randomBytes(4).toString('hex')}`;
    const first = await resolveDevKeys({ databaseUrl: empty.toString(), dataDir, env: {} });
    expect(first.generated).toBe(true);
    expect(first.keys).toMatch(/^dev[0-9a-z]+:[A-Za-z0-9+/=]{44}$/);
    expect(fs.statSync(path.join(dataDir, 'dev-secrets.json')).mode & 0o777).toBe(0o600);
    expect(await resolveDevKeys({ databaseUrl: empty.toString(), dataDir, env: {} })).toEqual({
      keys: first.keys,
      generated: false,
    });
  });

  it('writes the env file for the CLI, readable by its owner only', () => {
    const file = path.join(dataDir, 'switchboard.env');
    writeCliEnv(file, { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', ENCRYPTION_KEYS: oldKey });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const parsed = Object.fromEntries(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(parsed).toEqual({
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      ENCRYPTION_KEYS: oldKey,
    });
  });
});

describe('npm start on a fresh clone', () => {
  it('loads before its build step: nothing it imports at load time needs a workspace build', () => {
    // `npm ci && npm start` runs start.js before `npm run build` has made any dist/ (it once
    // imported @switchboard/crypto through dev-keys.js at load time and stopped there).
    const scripts = path.join(import.meta.dirname, '../../../scripts');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(path.join(scripts, file), 'utf8');
      for (const [, target] of source.matchAll(/^import [^;]*? from '([^']+)';/gms)) {
        expect({ file, target }).toEqual({ file, target: expect.not.stringMatching(/^@switchboard\//) });
        if (target?.startsWith('./')) visit(target.slice(2));
      }
    };
    visit('start.js');
    expect([...seen]).toEqual(expect.arrayContaining(['start.js', 'dev-keys.js', 'local-services.js']));
  });
});
