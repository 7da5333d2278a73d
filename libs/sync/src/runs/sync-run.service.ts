import { InjectQueue, getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { ProviderRegistry, SwitchboardError } from '@switchboard/core';
import {
  ConnectionRepository,
  SYNC_RUN_KINDS,
  SyncRunRepository,
  type SyncRunKind,
  type SyncRunRow,
} from '@switchboard/persistence';
import { QueueName, type SyncJobData } from '@switchboard/queue';
import type { Queue } from 'bullmq';
import { chunkCount, runProgress, type RunProgress } from '../window/sync-window.js';

/** A request the sync engine cannot take; `code` is machine-readable, the message says what to fix. */
export class SyncRequestError extends SwitchboardError {
  constructor(
    readonly code:
      | 'connection_not_found'
      | 'invalid_window'
      | 'invalid_kind'
      | 'not_available'
      | 'run_not_found'
      | 'not_supported',
    message: string,
    /** For `not_supported`: the provider and the capability its plugin lacks. */
    readonly details?: { provider: string; capability: string },
  ) {
    super(message);
  }
}

/** Every sync reads the provider's history: a plugin without a HistorySource cannot be synced. */
export function requireHistory(registry: ProviderRegistry, provider: string): void {
  if (registry.supports(provider, 'history')) return;
  throw new SyncRequestError(
    'not_supported',
    `the ${provider} plugin has no call history (HistorySource): its calls arrive by webhook only, so there is nothing to sync`,
    { provider, capability: 'history' },
  );
}

export interface StartRun {
  connectionId: string;
  kind: SyncRunKind;
  from: Date;
  to: Date;
  /** Who asked (an API key id, "admin", "cli"), for the record. */
  requestedBy?: string;
}

/** Longest window one run may cover. */
export const MAX_RUN_WINDOW_DAYS = 400;

/** Job options of a run: retried with backoff; each retry resumes after the last finished chunk. */
export const SYNC_RUN_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export const syncRunJobId = (runId: string) => `run-${runId}`;

/**
 * Operator-started runs of the sync engine (backfill, recovery, consistency check, parallel-run
 * report): validates and records a run, queues it, and reads or cancels it. The worker's
 * SyncRunExecutor does the work. Used by the API, the CLI and the worker alike.
 */
@Injectable()
export class SyncRunService {
  constructor(
    private readonly runs: SyncRunRepository,
    private readonly connections: ConnectionRepository,
    private readonly registry: ProviderRegistry,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Sync) private readonly queue: Queue<SyncJobData>,
  ) {}

  /** For the CLI, whose application context has the platform's providers but not this module. */
  static fromContext(app: { get<T>(token: unknown): T }): SyncRunService {
    return new SyncRunService(
      app.get<SyncRunRepository>(SyncRunRepository),
      app.get<ConnectionRepository>(ConnectionRepository),
      app.get<ProviderRegistry>(ProviderRegistry),
      app.get<AppConfig>(AppConfig),
      app.get<Queue<SyncJobData>>(getQueueToken(QueueName.Sync)),
    );
  }

  async start(input: StartRun): Promise<SyncRunRow> {
    if (!(SYNC_RUN_KINDS as readonly string[]).includes(input.kind)) {
      throw new SyncRequestError('invalid_kind', `kind must be one of ${SYNC_RUN_KINDS.join(', ')}`);
    }
    validateWindow(input.from, input.to);
    const connection = await this.connections.findById(input.connectionId);
    if (!connection)
      throw new SyncRequestError('connection_not_found', `no connection ${input.connectionId}`);
    if (!connection.isActive) {
      throw new SyncRequestError('not_available', 'the connection is inactive: activate it before syncing');
    }
    if (!this.registry.has(connection.providerType)) {
      throw new SyncRequestError(
        'not_available',
        `no plugin is loaded for provider "${connection.providerType}"`,
      );
    }
    requireHistory(this.registry, connection.providerType);
    if (input.kind === 'parallel_run' && !this.registry.supports(connection.providerType, 'webhooks')) {
      throw new SyncRequestError(
        'not_supported',
        `the ${connection.providerType} plugin receives no webhooks (WebhookReceiver): there is nothing to compare its history with`,
        { provider: connection.providerType, capability: 'webhooks' },
      );
    }
    if (input.kind === 'parallel_run' && connection.mode !== 'shadow') {
      throw new SyncRequestError(
        'not_available',
        "a parallel-run report compares a shadow connection's webhooks with its provider: this connection is live",
      );
    }
    const span = (input.to.getTime() - input.from.getTime()) / 1000;
    const chunkSeconds = Math.max(1, Math.min(this.config.sync.chunkSeconds, Math.ceil(span)));
    const run = await this.runs.create({
      connectionId: connection.id,
      provider: connection.providerType,
      kind: input.kind,
      from: input.from,
      to: input.to,
      chunkSeconds,
      chunksTotal: chunkCount({ from: input.from, to: input.to }, chunkSeconds),
      requestedBy: input.requestedBy,
    });
    await this.enqueue(run);
    return run;
  }

  /** Queues a run's job (again): the job id is the run's, so a run is never queued twice. */
  async enqueue(run: Pick<SyncRunRow, 'id' | 'connection_id'>): Promise<void> {
    await this.queue.add(
      'run',
      { kind: 'run', runId: run.id, connectionId: run.connection_id },
      { ...SYNC_RUN_JOB_OPTIONS, jobId: syncRunJobId(run.id) },
    );
  }

  /** Runs a scheduled (incremental) sync of a connection now, outside its schedule. */
  async syncNow(connectionId: string): Promise<{ jobId: string }> {
    const connection = await this.connections.findById(connectionId);
    if (!connection) throw new SyncRequestError('connection_not_found', `no connection ${connectionId}`);
    if (this.registry.has(connection.providerType)) requireHistory(this.registry, connection.providerType);
    const job = await this.queue.add(
      'incremental',
      { kind: 'incremental', connectionId },
      { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 } },
    );
    return { jobId: job.id ?? '' };
  }

  async get(id: string): Promise<SyncRunRow> {
    const run = await this.runs.find(id);
    if (!run) throw new SyncRequestError('run_not_found', `no sync run ${id}`);
    return run;
  }

  async cancel(id: string): Promise<SyncRunRow> {
    const run = await this.runs.requestCancel(id);
    if (!run) throw new SyncRequestError('run_not_found', `no sync run ${id}`);
    return run;
  }

  progress(run: SyncRunRow, now = new Date()): RunProgress {
    return runProgress({
      chunksDone: run.chunks_done,
      chunksTotal: run.chunks_total,
      callsSeen: run.calls_seen,
      startedAt: run.started_at,
      finishedAt: run.finished_at,
      now,
    });
  }
}

function validateWindow(from: Date, to: Date): void {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) {
    throw new SyncRequestError('invalid_window', 'from must be a date or time (ISO 8601)');
  }
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) {
    throw new SyncRequestError('invalid_window', 'to must be a date or time (ISO 8601)');
  }
  if (from.getTime() >= to.getTime()) throw new SyncRequestError('invalid_window', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_RUN_WINDOW_DAYS * 86_400_000) {
    throw new SyncRequestError(
      'invalid_window',
      `a run covers at most ${MAX_RUN_WINDOW_DAYS} days: split it`,
    );
  }
  if (to.getTime() > Date.now() + 86_400_000) {
    throw new SyncRequestError('invalid_window', 'to must not be more than a day in the future');
  }
}
