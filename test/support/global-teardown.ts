// Jest loads global setup/teardown outside its module system (plain require), which does not map
// ".js" specifiers to TypeScript sources, hence the ".ts" specifiers here.
import pg from 'pg';
import { ADMIN_DATABASE_URL } from './services.ts';

/**
 * Drops the per-file databases this run left behind (a crashed suite can leave one). Bounded in
 * time and never fatal: it runs after the results are printed, and a drop that cannot finish must
 * not hold the run open (CI waits for the process) or fail a run whose tests passed.
 */
export default async function globalTeardown(): Promise<void> {
  const admin = new pg.Client({
    connectionString: ADMIN_DATABASE_URL,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
    query_timeout: 35_000,
  });
  try {
    await admin.connect();
    const prefix = `sb_test_${process.env.SWITCHBOARD_TEST_RUN_ID ?? process.pid}_`;
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 AND NOT datistemplate`,
      [`${prefix}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch (error) {
    console.warn(`global teardown: test databases left behind (${(error as Error).message})`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
