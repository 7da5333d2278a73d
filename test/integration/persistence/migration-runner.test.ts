import { jest } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import {
  MigrationError,
  migrate,
  migrationStatus,
  readMigrations,
} from '../../../libs/persistence/src/migrations/migration-runner.js';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.js';
import { MIGRATIONS_DIR } from '../../support/services.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

// Each test applies every migration (partitioned tables included) to an empty database, and
// creates or drops one: seconds, more on a busy machine.
jest.setTimeout(30_000);

describe('migration runner (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createEmptyDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('applies every migration to a fresh database and records it the way Prisma does', async () => {
    const files = readMigrations(MIGRATIONS_DIR);
    const result = await migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR });
    expect(result.applied).toEqual(files.map((f) => f.name));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date;
      applied_steps_count: number;
    }>(
      db.url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      files.map((f) => [f.name, f.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
    // Partitions of webhook_logs and call_events are tables too; only the tables themselves count here.
    const tables = await query<{ tablename: string }>(
      db.url,
      "SELECT relname AS tablename FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition",
    );
    expect(tables.map((t) => t.tablename).sort()).toEqual(
      [
        '_prisma_migrations',
        'api_keys',
        'audit_log',
        'call_events',
        'calls',
        'campaigns',
        'provider_connections',
        'sync_status',
        'tracking_numbers',
        'webhook_logs',
        'webhook_dedup_keys',
        'maintenance_state',
        'sync_runs',
      ].sort(),
    );
  });

  it('does nothing on a second run', async () => {
    await migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR });
    const second = await migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(readMigrations(MIGRATIONS_DIR).length);
    const status = await migrationStatus(db.url, MIGRATIONS_DIR);
    expect(status.pending).toEqual([]);
  });

  it('refuses to run when an applied migration file was edited', async () => {
    const dir = copyMigrations();
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    const [first] = readMigrations(dir);
    fs.appendFileSync(path.join(dir, first.name, 'migration.sql'), '\n-- edited later\n');
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toMatchObject({
      code: 'modified',
      message: expect.stringContaining(first.name),
    });
    expect((await migrationStatus(db.url, dir)).modified).toEqual([first.name]);
  });

  it('rolls back a failing migration completely and can apply it once fixed', async () => {
    const dir = copyMigrations();
    const broken = path.join(dir, '29991231000000_broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
    );
    const error = await migrate({ databaseUrl: db.url, migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('sql_error');
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(0);

    fs.writeFileSync(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\n');
    const fixed = await migrate({ databaseUrl: db.url, migrationsDir: dir });
    expect(fixed.applied).toEqual(['29991231000000_broken']);
  });

  it('lets only one of two concurrent runners apply the migrations', async () => {
    const [a, b] = await Promise.all([
      migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR }),
      migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR }),
    ]);
    const total = readMigrations(MIGRATIONS_DIR).length;
    expect(a.applied.length + b.applied.length).toBe(total);
    const rows = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(rows[0].n)).toBe(total);
  });

  it('creates the database when asked to', async () => {
    const url = new URL(db.url);
    url.pathname = `/${db.name}_created`;
    try {
      const result = await migrate({
        databaseUrl: url.toString(),
        migrationsDir: MIGRATIONS_DIR,
        createDatabase: true,
      });
      expect(result.applied.length).toBeGreaterThan(0);
    } finally {
      await query(db.url, `DROP DATABASE IF EXISTS "${db.name}_created" WITH (FORCE)`);
    }
  });
});
