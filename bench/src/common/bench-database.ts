import * as path from 'node:path';
import pg from 'pg';
import { migrate } from '@switchboard/persistence';

/** `adminUrl` with its database replaced by `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops `name` if it exists, creates it and applies every migration; returns its URL. */
export async function createBenchDatabase(options: {
  adminUrl: string;
  name: string;
  root: string;
}): Promise<string> {
  await dropBenchDatabase(options.adminUrl, options.name);
  const url = databaseUrl(options.adminUrl, options.name);
  await migrate({
    databaseUrl: url,
    migrationsDir: path.join(options.root, 'prisma/migrations'),
    createDatabase: true,
  });
  return url;
}

/** Drops the database, disconnecting whatever still uses it. */
export async function dropBenchDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
