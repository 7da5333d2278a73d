import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Command } from 'commander';
import { ConnectionSecretsCheck, ConnectionService } from '@switchboard/connections';
import { InboxBacklog } from '@switchboard/ingress';
import { InboxBacklogRepository, SyncStatusRepository, WebhookLogRepository } from '@switchboard/persistence';
import { ALL_QUEUES, QueueName } from '@switchboard/queue';
import { withPlatform } from '../cli-context.js';
import { printJson, printTable } from '../output.js';

/** Everything `switchboard status` shows, as `--json` prints it. */
export interface StatusReport {
  at: string;
  connections: Array<{
    id: string;
    provider: string;
    name: string;
    mode: string;
    active: boolean;
    secretsReadable: boolean;
    syncState: string | null;
    lastSyncSuccessAt: string | null;
    syncLagSeconds: number | null;
    syncFailures: number;
    syncError: string | null;
  }>;
  queues: Array<{ queue: string; waiting: number; active: number; delayed: number; failed: number }>;
  inbox: {
    /** Age of the oldest webhook queued and not yet processed: the processing lag. */
    oldestQueuedSeconds: number;
    received: number;
    jobMissing: number | null;
    oldestWaitingSeconds: number;
  };
  recentFailures: Array<{
    id: string;
    at: string;
    provider: string;
    connectionId: string | null;
    error: string;
  }>;
}

const RECENT_FAILURES = 10;
const DAY_MS = 86_400_000;

/** Reads the status through the platform's services (the same numbers readiness and metrics give). */
export async function collectStatus(app: INestApplicationContext, now = new Date()): Promise<StatusReport> {
  const ago = (d: Date | null | undefined) =>
    d ? Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000)) : null;
  const [connections, syncRows, unreadable] = await Promise.all([
    app.get(ConnectionService).list(),
    app.get(SyncStatusRepository).listActive(),
    app.get(ConnectionSecretsCheck).unreadable(),
  ]);
  const sync = new Map(syncRows.map((r) => [r.connection_id, r]));
  const unreadableIds = new Set(unreadable.map((u) => u.id));

  const queues = await Promise.all(
    ALL_QUEUES.map(async (name) => {
      const counts = await app
        .get<Queue>(getQueueToken(name), { strict: false })
        .getJobCounts('waiting', 'active', 'delayed', 'failed');
      return {
        queue: name,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    }),
  );

  const backlogRepository = app.get(InboxBacklogRepository);
  const backlog = await new InboxBacklog(
    backlogRepository,
    app.get<Queue>(getQueueToken(QueueName.Webhooks), { strict: false }),
  ).measure();
  const [oldestQueued] = await backlogRepository.oldestQueued(0, 1);

  const failures = await app
    .get(WebhookLogRepository)
    .list({ status: 'failed', from: new Date(now.getTime() - DAY_MS) }, RECENT_FAILURES);

  return {
    at: now.toISOString(),
    connections: connections.map((c) => {
      const s = sync.get(c.id);
      return {
        id: c.id,
        provider: c.provider,
        name: c.name,
        mode: c.mode,
        active: c.active,
        secretsReadable: !unreadableIds.has(c.id),
        syncState: s?.state ?? null,
        lastSyncSuccessAt: s?.last_successful_sync_at?.toISOString() ?? null,
        syncLagSeconds: ago(s?.last_successful_sync_at),
        syncFailures: s?.consecutive_failures ?? 0,
        syncError: s?.error ?? null,
      };
    }),
    queues,
    inbox: {
      oldestQueuedSeconds: ago(oldestQueued?.createdAt) ?? 0,
      received: backlog.received,
      jobMissing: backlog.jobMissing,
      oldestWaitingSeconds: backlog.oldestWaitingSeconds,
    },
    recentFailures: failures.map((f) => ({
      id: f.id,
      at: f.created_at.toISOString(),
      provider: f.provider,
      connectionId: f.connection_id,
      error: (f.error ?? '').slice(0, 120),
    })),
  };
}

/** One screen for people. */
export function printStatus(report: StatusReport): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Switchboard status at ${report.at}`);
  out();
  out(`CONNECTIONS (${report.connections.length})`);
  printTable(
    report.connections.map((c) => ({
      ...c,
      active: c.active ? 'yes' : 'no',
      secrets: c.secretsReadable ? 'ok' : 'UNREADABLE',
      sync: c.syncState ?? '-',
      'sync lag': c.syncLagSeconds === null ? '-' : duration(c.syncLagSeconds),
      failures: c.syncFailures || '',
    })),
    ['id', 'provider', 'name', 'mode', 'active', 'secrets', 'sync', 'sync lag', 'failures'],
  );
  out();
  out('QUEUES');
  printTable(report.queues, ['queue', 'waiting', 'active', 'delayed', 'failed']);
  out();
  const i = report.inbox;
  out(
    `INBOX  processing lag ${duration(i.oldestQueuedSeconds)} (oldest queued webhook); ` +
      `outside the queue: ${i.received} received, ${i.jobMissing ?? 'unknown'} with their job missing` +
      (i.received + (i.jobMissing ?? 0) > 0 ? `, oldest ${duration(i.oldestWaitingSeconds)}` : ''),
  );
  out();
  out(`RECENT FAILURES (24 h, newest ${RECENT_FAILURES})`);
  printTable(report.recentFailures, ['at', 'provider', 'id', 'error']);
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('one screen: connections, queue depths, lag, sync state and recent failures')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withPlatform(async (app) => {
        const report = await collectStatus(app);
        if (options.json) return printJson(report);
        printStatus(report);
      }),
    );
}
