import * as path from 'node:path';
import type { Command } from 'commander';
import { migrate, migrationStatus } from '@switchboard/persistence';
import { cliDatabaseUrl } from '../cli-context.js';
import { printJson } from '../output.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (prisma/migrations), creating the database if needed')
    .option('--status', 'only show applied, pending and modified migrations')
    .option('--dir <path>', 'migrations directory', 'prisma/migrations')
    .option('--json', 'machine-readable output')
    .action(async (options: { status?: boolean; dir: string; json?: boolean }) => {
      const databaseUrl = cliDatabaseUrl();
      const dir = path.resolve(options.dir);
      if (options.status) {
        const status = await migrationStatus(databaseUrl, dir);
        if (options.json) return printJson(status);
        process.stdout.write(
          `applied: ${status.applied.length}, pending: ${status.pending.length}` +
            `${status.pending.length ? ` (${status.pending.join(', ')})` : ''}` +
            `${status.modified.length ? `, MODIFIED after apply: ${status.modified.join(', ')}` : ''}` +
            `${status.failed.length ? `, FAILED: ${status.failed.join(', ')}` : ''}\n`,
        );
        return;
      }
      const result = await migrate({
        databaseUrl,
        migrationsDir: dir,
        createDatabase: true,
        log: options.json ? undefined : (line) => process.stdout.write(`${line}\n`),
      });
      if (options.json) return printJson(result);
      process.stdout.write(
        result.applied.length === 0
          ? `database is up to date (${result.alreadyApplied} migrations applied)\n`
          : `applied ${result.applied.length} migration(s)\n`,
      );
    });
}
