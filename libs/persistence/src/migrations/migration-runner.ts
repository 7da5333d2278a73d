import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import pg from 'pg';

/**
 * Applies prisma/migrations/* without Prisma's native schema engine (which cannot be fetched on
 * offline machines), keeping `_prisma_migrations` exactly as Prisma keeps it, so `prisma migrate
 * status|deploy` on a machine that has the engine agrees about what is applied.
 *
 * - one transaction per migration: a failing migration leaves nothing behind;
 * - the advisory lock Prisma's own engine takes (72707369), so two runners - ours or Prisma's -
 *   never migrate at the same time;
 * - an applied migration whose file changed is refused, naming the file.
 */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file no longer matches what was applied. */
  modified: string[];
  /** Rows Prisma marks as failed (started, never finished, not rolled back). */
  failed: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'modified' | 'failed_earlier' | 'sql_error' | 'missing_directory',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new MigrationError('missing_directory', `no migrations directory at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return {
        name,
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrateOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** Create the database first when it does not exist (quick start, fresh machines). */
  createDatabase?: boolean;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const files = readMigrations(options.migrationsDir);
  if (options.createDatabase) await ensureDatabase(options.databaseUrl, log);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const status = computeStatus(files, await appliedRows(client));
      if (status.failed.length > 0) {
        throw new MigrationError(
          'failed_earlier',
          `migration ${status.failed[0]} failed earlier and is marked as failed in _prisma_migrations; ` +
            'fix the database and mark it rolled back (prisma migrate resolve --rolled-back) before migrating again',
        );
      }
      if (status.modified.length > 0) {
        throw new MigrationError(
          'modified',
          `migration ${status.modified[0]} was changed after it was applied ` +
            `(prisma/migrations/${status.modified[0]}/migration.sql no longer matches its checksum); ` +
            'restore the file and put the change in a new migration',
        );
      }
      const applied: string[] = [];
      for (const file of files.filter((f) => status.pending.includes(f.name))) {
        await applyOne(client, file);
        applied.push(file.name);
        log(`applied ${file.name}`);
      }
      return { applied, alreadyApplied: status.applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

export async function migrationStatus(databaseUrl: string, migrationsDir: string): Promise<MigrationStatus> {
  const files = readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
    const rows = exists.rows[0].present ? await appliedRows(client) : [];
    return computeStatus(files, rows);
  } finally {
    await client.end();
  }
}

async function appliedRows(client: pg.Client): Promise<AppliedRow[]> {
  const result = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
  return result.rows;
}

function computeStatus(files: MigrationFile[], rows: AppliedRow[]): MigrationStatus {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const finished = new Map(live.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
  const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
  const modified = files.filter((f) => finished.has(f.name) && finished.get(f.name)!.checksum !== f.checksum);
  return {
    applied: [...finished.keys()],
    pending: files.filter((f) => !finished.has(f.name) && !failed.includes(f.name)).map((f) => f.name),
    modified: modified.map((f) => f.name),
    failed,
  };
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError('sql_error', `migration ${file.name} failed and was rolled back: ${message}`);
  }
}

async function ensureDatabase(databaseUrl: string, log: (line: string) => void): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another runner
      });
      log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
