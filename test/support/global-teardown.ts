// Jest loads global setup/teardown outside its module system (plain require), which does not map
// ".js" specifiers to TypeScript sources, hence the ".ts" specifiers here.
import pg from 'pg';
import { ADMIN_DATABASE_URL } from './services.ts';

/** Drops the per-file databases this run left behind (a crashed suite can leave one). */
export default async function globalTeardown(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const prefix = `sb_test_${process.env.SWITCHBOARD_TEST_RUN_ID ?? process.pid}_`;
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 AND NOT datistemplate`,
      [`${prefix}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
