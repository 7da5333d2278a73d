import type { Command } from 'commander';
import type { WebhookLogStatus } from '@switchboard/persistence';
import {
  DEFAULT_REPLAY_LIMIT,
  MAX_REPLAY_LIMIT,
  REPLAYABLE_STATUSES,
  ReplayError,
  ReplayService,
} from '@switchboard/pipeline';
import { withPlatform } from '../cli-context.js';
import { CliError, printJson } from '../output.js';

interface ReplayOptions {
  status?: string;
  provider?: string;
  connection?: string;
  since?: string;
  until?: string;
  limit?: string;
  json?: boolean;
}

/**
 * `switchboard replay <id>` puts one webhook back on the queue; without an id, every row matching
 * the filters (status failed by default), oldest first, up to --limit. Same service as
 * POST /webhook-logs/replay.
 */
export function registerReplay(program: Command): void {
  program
    .command('replay [id]')
    .description('re-process webhooks: one by id, or all matching the filters (failed ones by default)')
    .option('--status <status>', `rows in this status (${REPLAYABLE_STATUSES.join(', ')})`)
    .option('--provider <id>', 'only this provider, e.g. ringba')
    .option('--connection <id>', 'only this connection')
    .option('--since <date>', 'received at or after this time, e.g. 2026-11-01 or 2026-11-01T12:00:00Z')
    .option('--until <date>', 'received before this time')
    .option(
      '--limit <n>',
      `at most this many rows (default ${DEFAULT_REPLAY_LIMIT}, max ${MAX_REPLAY_LIMIT})`,
    )
    .option('--json', 'machine-readable output')
    .action((id: string | undefined, options: ReplayOptions) => {
      // Arguments are checked before anything connects, so a typo costs nothing.
      const filtered = ['status', 'provider', 'connection', 'since', 'until', 'limit'].some(
        (k) => options[k as keyof ReplayOptions] !== undefined,
      );
      if (id !== undefined && filtered)
        throw new CliError('give either a webhook log id or filters, not both');
      if (id !== undefined && !UUID.test(id)) throw new CliError(`"${id}" is not a webhook log id (a UUID)`);
      const filter = {
        status: status(options.status),
        provider: options.provider,
        connectionId: connection(options.connection),
        from: date(options.since, '--since'),
        to: date(options.until, '--until'),
      };
      const max = limit(options.limit);
      return withPlatform(async (app) => {
        const service = ReplayService.fromContext(app);
        try {
          const result =
            id !== undefined ? await service.replayOne(id) : await service.replayMany(filter, max);
          if (options.json) return printJson(result);
          process.stdout.write(
            `replayed ${result.replayed} webhook(s)` +
              (result.skipped ? `; ${result.skipped} were being processed already` : '') +
              '\n',
          );
        } catch (error) {
          if (error instanceof ReplayError) throw new CliError(error.message);
          throw error;
        }
      });
    });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function status(value: string | undefined): WebhookLogStatus | undefined {
  if (value === undefined) return undefined;
  if (!(REPLAYABLE_STATUSES as readonly string[]).includes(value)) {
    throw new CliError(`--status must be one of ${REPLAYABLE_STATUSES.join(', ')}`);
  }
  return value as WebhookLogStatus;
}

function connection(value: string | undefined): string | undefined {
  if (value !== undefined && !UUID.test(value))
    throw new CliError('--connection must be a connection id (a UUID)');
  return value;
}

function date(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    throw new CliError(`${flag} must be a date like 2026-11-01 or 2026-11-01T12:00:00Z`);
  }
  return parsed;
}

function limit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REPLAY_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPLAY_LIMIT) {
    throw new CliError(`--limit must be a whole number between 1 and ${MAX_REPLAY_LIMIT}`);
  }
  return n;
}
