// ENCRYPTION_KEYS for the quick start (`npm start`), and the env file the CLI reads afterwards.
// Kept apart from start.js so that the refusal below is tested (test/integration/ops/dev-keys.test.ts).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** Connections per key id, with one stored envelope of each to try the key on. */
async function storedKeys(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT key_id, count(*)::int AS n, min(credentials) AS sample FROM provider_connections GROUP BY key_id`,
    );
    return rows;
  } catch (error) {
    // No database or no table yet: nothing is encrypted.
    if (['3D000', '42P01'].includes(error.code)) return [];
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function parseKeys(value) {
  return value.split(',').map((pair) => {
    const [id, b64] = pair.split(':');
    return { id, key: Buffer.from(b64 ?? '', 'base64') };
  });
}

/**
 * Ids of stored key groups that `keys` cannot decrypt. The cipher is imported here, not at the top:
 * `npm start` loads this file before its build step has produced @switchboard/crypto's dist.
 */
async function undecryptable(stored, keys) {
  const { EnvelopeCipher } = await import('@switchboard/crypto');
  let cipher;
  try {
    cipher = new EnvelopeCipher(keys);
  } catch {
    return stored;
  }
  return stored.filter((row) => {
    try {
      cipher.decrypt(row.sample);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * The quick start's ENCRYPTION_KEYS: the environment's when set, else the one kept in
 * `<dataDir>/dev-secrets.json`, else a new one. Refuses (throws, saying why and what to do) when
 * the database holds connections those keys cannot decrypt — above all, it never generates a new
 * key while the database holds connections encrypted under another one (after `.data` was
 * cleaned, a new key would silently make every stored connection unreadable).
 */
export async function resolveDevKeys({ databaseUrl, dataDir, env = process.env, describeDatabase = String }) {
  const file = path.join(dataDir, 'dev-secrets.json');
  const source = env.ENCRYPTION_KEYS
    ? 'ENCRYPTION_KEYS'
    : fs.existsSync(file)
      ? path.relative(process.cwd(), file)
      : undefined;
  const existing = env.ENCRYPTION_KEYS
    ? env.ENCRYPTION_KEYS
    : source
      ? JSON.parse(fs.readFileSync(file, 'utf8')).ENCRYPTION_KEYS
      : undefined;
  const stored = await storedKeys(databaseUrl);
  const count = (rows) => rows.reduce((n, r) => n + r.n, 0);
  const ids = (rows) => rows.map((r) => `"${r.key_id}"`).join(', ');
  if (!existing) {
    if (stored.length > 0) {
      throw new Error(
        `refusing to generate a new ENCRYPTION_KEYS: the database ${describeDatabase(databaseUrl)} holds ` +
          `${count(stored)} connection(s) encrypted under key ${ids(stored)}, and ${path.relative(process.cwd(), file)} ` +
          '(where npm start kept that key) is gone; a new key could not decrypt them. Restore that file, or run ' +
          'with ENCRYPTION_KEYS=<id>:<the old key>, or drop the database to start from scratch.',
      );
    }
    const secrets = {
      ENCRYPTION_KEYS: `dev${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`,
    };
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return { keys: secrets.ENCRYPTION_KEYS, generated: true };
  }
  const unreadable = await undecryptable(stored, parseKeys(existing));
  if (unreadable.length > 0) {
    throw new Error(
      `the keys in ${source} cannot decrypt ${count(unreadable)} connection(s) in the database ` +
        `${describeDatabase(databaseUrl)} (encrypted under key ${ids(unreadable)}). Start with the ENCRYPTION_KEYS ` +
        'they were written with (add it after the current key, then `npx switchboard keys-rewrap`), or drop the database.',
    );
  }
  return { keys: existing, generated: false };
}

/** Writes what the CLI needs to reach this instance (git-ignored, owner-only: it holds the keys). */
export function writeCliEnv(file, values) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(
    file,
    `# Written by npm start: the environment it ran with, for npx switchboard (variables already set win).\n${lines.join('\n')}\n`,
    { mode: 0o600 },
  );
  fs.chmodSync(file, 0o600);
}
