import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  SyncRunRepository,
  SyncStatusRepository,
  type SyncRunKind,
  type SyncRunRow,
} from '@switchboard/persistence';
import {
  SyncRequestError,
  SyncRunService,
  toSyncRunView,
  toSyncStatusView,
  type CallDifferences,
  type RunReport,
} from '@switchboard/sync';
import { withPlatform } from '../cli-context.js';
import { CliError, printJson, printTable } from '../output.js';

interface WindowOptions {
  connection?: string;
  from?: string;
  to?: string;
  json?: boolean;
  detach?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FINISHED = new Set(['succeeded', 'failed', 'canceled', 'auth_failed']);
const POLL_MS = 500;

/**
 * The sync engine from the command line: `backfill`, `recover` and `consistency` start a run over
 * a window and follow it to the end (progress bar; `--json` prints the finished run, `--detach`
 * returns at once); `sync-runs` lists, shows and cancels runs; `sync status|now` covers the
 * scheduled syncs. Same services as the API's /connections/:id/… and /sync-runs routes.
 */
export function registerSync(program: Command): void {
  windowCommand(
    program,
    'backfill',
    'backfill',
    "pull a connection's call history over a window (resumable, in chunks)",
  );
  windowCommand(
    program,
    'recover',
    'recovery',
    "create the calls a connection's webhooks missed in a window, and complete calls whose final state never arrived",
  );
  windowCommand(
    program,
    'consistency',
    'consistency',
    'compare stored calls with the provider over a window: missing on either side, field differences (writes nothing)',
  );
  windowCommand(
    program,
    'parallel-run',
    'parallel_run',
    "compare a shadow connection's webhooks with the provider's API over a window, before switching it to live",
  );

  const runs = program
    .command('sync-runs')
    .description('list, show and cancel backfills, recoveries and checks');
  runs
    .command('list')
    .description('recent runs, newest first')
    .option('--connection <id>', 'only this connection')
    .option('--kind <kind>', 'backfill, recovery, consistency or parallel_run')
    .option('--limit <n>', 'at most this many (default 20)', '20')
    .option('--json', 'machine-readable output')
    .action((options: { connection?: string; kind?: string; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200)
        throw new CliError('--limit must be 1 to 200');
      if (options.connection !== undefined && !UUID.test(options.connection)) {
        throw new CliError('--connection must be a connection id (a UUID)');
      }
      return withPlatform(async (app) => {
        const service = SyncRunService.fromContext(app);
        const rows = await app
          .get(SyncRunRepository)
          .list({ connectionId: options.connection, kind: options.kind as SyncRunKind | undefined }, limit);
        const views = rows.map((run) => toSyncRunView(run, service.progress(run)));
        if (options.json) return printJson({ items: views });
        printTable(
          views.map((v) => ({
            id: v.id,
            kind: v.kind,
            state: v.state,
            provider: v.provider,
            window: `${v.from.slice(0, 16)} → ${v.to.slice(0, 16)}`,
            progress: `${v.progress.percent}%`,
            seen: v.calls.seen,
            written: v.calls.created + v.calls.updated,
          })),
          ['id', 'kind', 'state', 'provider', 'window', 'progress', 'seen', 'written'],
        );
      });
    });
  runs
    .command('show <id>')
    .description('one run with its report')
    .option('--json', 'machine-readable output')
    .action((id: string, options: { json?: boolean }) => {
      runId(id);
      return withPlatform(async (app) => {
        const run = await sync(SyncRunService.fromContext(app).get(id));
        printRun(run, SyncRunService.fromContext(app), options.json);
      });
    });
  runs
    .command('cancel <id>')
    .description('stop a run (a running one stops after its current page)')
    .action((id: string) => {
      runId(id);
      return withPlatform(async (app) => {
        const run = await sync(SyncRunService.fromContext(app).cancel(id));
        process.stdout.write(
          `${run.kind} ${run.id}: ${run.state === 'canceled' ? 'canceled' : 'cancel requested'}\n`,
        );
      });
    });

  const scheduled = program.command('sync').description('scheduled (incremental) syncs');
  scheduled
    .command('status')
    .description("every live connection's scheduled sync: state, last success, last run figures")
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withPlatform(async (app) => {
        const rows = await app.get(SyncStatusRepository).listActive();
        const items = rows.map((row) => ({
          connectionId: row.connection_id,
          provider: row.provider,
          ...toSyncStatusView(row),
        }));
        if (options.json) return printJson({ items });
        printTable(
          rows.map((row) => ({
            connection: row.connection_id,
            provider: row.provider,
            state: row.state,
            'last success': row.last_successful_sync_at?.toISOString() ?? null,
            changed: row.records_changed,
            error: row.error,
          })),
          ['connection', 'provider', 'state', 'last success', 'changed', 'error'],
        );
      }),
    );
  scheduled
    .command('now <connection>')
    .description("run a connection's scheduled sync now (the worker picks it up)")
    .action((connection: string) => {
      if (!UUID.test(connection)) throw new CliError('the connection must be a connection id (a UUID)');
      return withPlatform(async (app) => {
        const { jobId } = await sync(SyncRunService.fromContext(app).syncNow(connection));
        process.stdout.write(`sync of ${connection} queued (job ${jobId})\n`);
      });
    });
}

function windowCommand(program: Command, name: string, kind: SyncRunKind, description: string): void {
  program
    .command(name)
    .description(description)
    .requiredOption('--connection <id>', 'the connection')
    .requiredOption('--from <date>', 'start of the window, e.g. 2026-11-01 or 2026-11-01T12:00:00Z')
    .requiredOption('--to <date>', 'end of the window (exclusive)')
    .option('--json', 'print the finished run as JSON (no progress bar)')
    .option('--detach', 'start the run and return; follow it with `switchboard sync-runs show <id>`')
    .action((options: WindowOptions) => {
      if (!UUID.test(options.connection ?? ''))
        throw new CliError('--connection must be a connection id (a UUID)');
      const from = date(options.from, '--from');
      const to = date(options.to, '--to');
      return withPlatform(async (app) => {
        const service = SyncRunService.fromContext(app);
        const started = await sync(
          service.start({ connectionId: options.connection!, kind, from, to, requestedBy: 'cli' }),
        );
        if (options.detach) {
          if (options.json) return printJson(toSyncRunView(started, service.progress(started)));
          process.stdout.write(
            `${kind} ${started.id} queued: follow it with \`switchboard sync-runs show ${started.id}\`\n`,
          );
          return;
        }
        const run = await follow(app.get(SyncRunRepository), service, started, !options.json);
        printRun(run, service, options.json);
        if (run.state !== 'succeeded')
          throw new CliError(`${kind} ${run.id} ended ${run.state}${run.error ? `: ${run.error}` : ''}`);
      });
    });
}

/** Polls the run until it ends, drawing a progress bar (chunks, calls seen, rate, ETA) for people. */
async function follow(
  repository: SyncRunRepository,
  service: SyncRunService,
  run: SyncRunRow,
  showBar: boolean,
): Promise<SyncRunRow> {
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: `${run.kind} [{bar}] {percentage}% | chunk {value}/{total} | {calls} calls, {rate}/s | ETA {eta_text}`,
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(run.chunks_total, run.chunks_done, { calls: 0, rate: 0, eta_text: '…' });
  let current = run;
  try {
    while (!FINISHED.has(current.state)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      current = (await repository.find(run.id)) ?? {
        ...current,
        state: 'canceled',
        error: 'the run is gone (its connection was deleted)',
      };
      const progress = service.progress(current);
      bar?.update(current.chunks_done, {
        calls: current.calls_seen,
        rate: progress.callsPerSecond ?? 0,
        eta_text: progress.etaSeconds === null ? '…' : `${progress.etaSeconds}s`,
      });
    }
  } finally {
    bar?.stop();
  }
  return current;
}

function printRun(run: SyncRunRow, service: SyncRunService, json?: boolean): void {
  const view = toSyncRunView(run, service.progress(run));
  if (json) return printJson(view);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`${view.kind} ${view.id}: ${view.state}${view.error ? ` (${view.error})` : ''}`);
  out(`  window   ${view.from} → ${view.to}  (${view.chunks.done}/${view.chunks.total} chunks)`);
  out(
    `  calls    ${view.calls.seen} seen, ${view.calls.created} created, ${view.calls.updated} updated, ${view.calls.skipped} skipped`,
  );
  const report = (view.report ?? {}) as unknown as RunReport;
  if (report.created) out(`  created  ${sampleText(report.created)}`);
  if (report.completed) out(`  completed ${sampleText(report.completed)}`);
  if (report.missingHere) {
    const here = run.kind === 'parallel_run' ? 'no webhook' : 'missing here';
    const there = run.kind === 'parallel_run' ? 'not at the API' : 'missing at provider';
    out(`  matching ${report.matching ?? 0}`);
    out(`  ${here.padEnd(19)} ${sampleText(report.missingHere)}`);
    out(`  ${there.padEnd(19)} ${sampleText(report.missingAtProvider ?? { total: 0, ids: [] })}`);
    const mismatches = report.fieldMismatches;
    if (mismatches && mismatches.total > 0) {
      out(
        `  differences in ${mismatches.total} calls (${Object.entries(mismatches.byField)
          .map(([f, n]) => `${f}: ${n}`)
          .join(', ')})`,
      );
      printTable(differenceRows(mismatches.calls.slice(0, 50)), ['call', 'field', 'ours', 'theirs']);
    }
  }
  if (report.skipped?.total) {
    out(`  skipped ${report.skipped.total} provider records:`);
    for (const row of report.skipped.rows.slice(0, 10)) {
      out(`    chunk ${row.chunk} #${row.index}${row.externalId ? ` ${row.externalId}` : ''}: ${row.reason}`);
    }
  }
}

function differenceRows(calls: CallDifferences[]) {
  return calls.flatMap((c) =>
    c.differences.map((d) => ({ call: c.externalId, field: d.field, ours: d.ours, theirs: d.theirs })),
  );
}

function sampleText(sample: { total: number; ids: string[] }): string {
  if (sample.total === 0) return '0';
  const shown = sample.ids.slice(0, 5).join(', ');
  return `${sample.total}: ${shown}${sample.total > 5 ? ', …' : ''}`;
}

function runId(id: string): void {
  if (!UUID.test(id)) throw new CliError(`"${id}" is not a sync run id (a UUID)`);
}

function date(value: string | undefined, flag: string): Date {
  const parsed = value === undefined ? new Date(NaN) : new Date(value);
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    throw new CliError(`${flag} must be a date like 2026-11-01 or 2026-11-01T12:00:00Z`);
  }
  return parsed;
}

/** Sync service refusals become one-line CLI errors. */
async function sync<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SyncRequestError) throw new CliError(error.message);
    throw error;
  }
}
