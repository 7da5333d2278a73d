import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_DATABASE_URL, databaseUrl } from './services.js';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file, cloned from the template that global setup
 * built. Names carry the jest parent pid so global teardown can sweep leftovers.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.SWITCHBOARD_TEST_TEMPLATE_DB;
  if (!template) throw new Error('SWITCHBOARD_TEST_TEMPLATE_DB is not set: run through jest (global setup)');
  return createDatabase(`TEMPLATE "${template}"`);
}

/** An empty database (no migrations), for the migration runner's own tests. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase('');
}

async function createDatabase(options: string): Promise<TestDatabase> {
  const name = `sb_test_${process.env.SWITCHBOARD_TEST_RUN_ID ?? process.ppid}_${randomBytes(5).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" ${options}`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/**
 * Drops a test database once the file's own connections have gone (at most ~3 s), then forcibly.
 * A connection still closing when FORCE terminates it (a pool or driver that resolved its close a
 * moment early) emits an error in this worker process that Jest pins on whichever test file runs
 * next; CI saw one fail an unrelated test that way.
 */
async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (c) => {
    for (let i = 0; i < 60; i++) {
      const { rows } = await c.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
