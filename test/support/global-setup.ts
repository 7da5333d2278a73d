// Jest loads global setup/teardown outside its module system (plain require), which does not map
// ".js" specifiers to TypeScript sources, hence the ".ts" specifiers here.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { migrate, readMigrations } from '../../libs/persistence/src/migrations/migration-runner.ts';
import { ADMIN_DATABASE_URL, MIGRATIONS_DIR, databaseUrl } from './services.ts';
import { templateDatabaseName } from './template-name.ts';

/**
 * Builds one migrated template database per migration set; every test file then clones it
 * (CREATE DATABASE ... TEMPLATE), which takes milliseconds and keeps suites isolated.
 */
export default async function globalSetup(): Promise<void> {
  const hash = createHash('sha256');
  for (const m of readMigrations(MIGRATIONS_DIR)) hash.update(m.name).update(m.checksum);
  const name = templateDatabaseName(hash.digest('hex'));
  process.env.SWITCHBOARD_TEST_TEMPLATE_DB = name;
  process.env.SWITCHBOARD_TEST_RUN_ID = String(process.pid);

  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not answering at ${ADMIN_DATABASE_URL} (${(error as Error).message}). ` +
        'Start it (see README "Running the tests") or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  try {
    // Serialize template creation across concurrently started jest processes.
    await admin.query('SELECT pg_advisory_lock(4242001)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_build`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await migrate({ databaseUrl: databaseUrl(building), migrationsDir: MIGRATIONS_DIR });
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      await admin.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true`);
    }
    await admin.query('SELECT pg_advisory_unlock(4242001)');
  } finally {
    await admin.end();
  }
}
