import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuditLog,
  ConnectionRepository,
  SyncRunRepository,
  SyncStatusRepository,
  type SyncRunKind,
} from '@switchboard/persistence';
import { SyncRequestError, SyncRunService, toSyncRunView, toSyncStatusView } from '@switchboard/sync';
import { auditContext, type AuditedRequest } from '../auth/audit-actor.js';
import { RequireScope } from '../auth/auth.guard.js';
import { parseTimestamp } from '../http/field-rules.js';
import { decodeCursor, keysetPage } from '../http/keyset-page.js';
import { ListSyncRunsQuery, RunWindowDto } from './sync.dto.js';

const REQUEST_STATUS: Record<SyncRequestError['code'], number> = {
  connection_not_found: 404,
  run_not_found: 404,
  invalid_window: 400,
  invalid_kind: 400,
  not_available: 409,
  not_supported: 501,
};

/**
 * The sync engine for operators: a connection's scheduled sync state and "sync now", and runs
 * over a window (backfill, missed-webhook recovery, consistency check, parallel-run report) that
 * are started here, watched through GET /sync-runs/:id (progress, rate, ETA, report) and canceled
 * with DELETE. Work happens in the worker; these routes only record and queue it.
 */
@ApiTags('sync')
@ApiBearerAuth()
@RequireScope('admin')
@Controller()
export class SyncController {
  constructor(
    private readonly runs: SyncRunService,
    private readonly runRows: SyncRunRepository,
    private readonly status: SyncStatusRepository,
    private readonly audit: AuditLog,
    private readonly connections: ConnectionRepository,
  ) {}

  @Get('connections/:id/sync')
  @ApiOperation({
    summary: "A connection's scheduled sync: state, high-water mark, last run figures, recent runs",
  })
  async syncState(@Param('id', ParseUUIDPipe) id: string) {
    if (!(await this.connections.findById(id))) {
      throw new HttpException({ error: 'connection_not_found', message: `no connection ${id}` }, 404);
    }
    const [status, recent] = await Promise.all([
      this.status.find(id),
      this.runRows.list({ connectionId: id }, 10),
    ]);
    return {
      connectionId: id,
      scheduled: toSyncStatusView(status),
      recentRuns: recent.map((run) => toSyncRunView(run, this.runs.progress(run))),
    };
  }

  @Post('connections/:id/sync')
  @HttpCode(202)
  @ApiOperation({ summary: "Run the connection's scheduled (incremental) sync now, outside its schedule" })
  async syncNow(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuditedRequest) {
    const queued = await mapped(this.runs.syncNow(id));
    await this.audit.record({
      ...auditContext(request),
      action: 'sync.requested',
      target: { type: 'connection', id },
    });
    return queued;
  }

  @Post('connections/:id/backfills')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Backfill the provider's call history over [from, to): resumable, in chunks (a day by default); watch it at GET /backfills/:id",
  })
  backfill(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunWindowDto,
    @Req() request: AuditedRequest,
  ) {
    return this.start(id, 'backfill', body, request);
  }

  @Post('connections/:id/recoveries')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Missed-webhook recovery over [from, to): calls the provider has that we lack, or whose final state never reached us, are processed as if their webhook had arrived; the report lists them',
  })
  recover(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunWindowDto,
    @Req() request: AuditedRequest,
  ) {
    return this.start(id, 'recovery', body, request);
  }

  @Post('connections/:id/consistency-checks')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Consistency check over [from, to): calls missing here, calls missing at the provider, and field-by-field differences; writes nothing',
  })
  check(@Param('id', ParseUUIDPipe) id: string, @Body() body: RunWindowDto, @Req() request: AuditedRequest) {
    return this.start(id, 'consistency', body, request);
  }

  @Post('connections/:id/parallel-run-reports')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Parallel-run report of a shadow connection over [from, to): what its webhooks said against what the provider's API says",
  })
  parallelRun(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RunWindowDto,
    @Req() request: AuditedRequest,
  ) {
    return this.start(id, 'parallel_run', body, request);
  }

  @Get('sync-runs')
  @RequireScope('read')
  @ApiOperation({ summary: 'Sync runs, newest first, with filters and cursor pagination' })
  async list(@Query() query: ListSyncRunsQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, { timeRequired: true }) : undefined;
    const rows = await this.runRows.list(
      { connectionId: query.connectionId, kind: query.kind, state: query.state },
      limit + 1,
      after ? { createdAtUs: after.at as string, id: after.id } : undefined,
    );
    return keysetPage(rows, limit, (run) => toSyncRunView(run, this.runs.progress(run)));
  }

  @Get(['sync-runs/:id', 'backfills/:id'])
  @RequireScope('read')
  @ApiOperation({
    summary: 'One run: state, chunks done, calls seen/created/updated/skipped, rate, ETA, report',
  })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const run = await mapped(this.runs.get(id));
    return toSyncRunView(run, this.runs.progress(run));
  }

  @Delete(['sync-runs/:id', 'backfills/:id'])
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a run: a queued run stops at once, a running one after its current page' })
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Req() request: AuditedRequest) {
    const run = await mapped(this.runs.cancel(id));
    await this.audit.record({
      ...auditContext(request),
      action: `${run.kind}.canceled`,
      target: { type: 'sync_run', id },
      details: { connectionId: run.connection_id },
    });
    return toSyncRunView(run, this.runs.progress(run));
  }

  private async start(connectionId: string, kind: SyncRunKind, body: RunWindowDto, request: AuditedRequest) {
    const actor = auditContext(request);
    const run = await mapped(
      this.runs.start({
        connectionId,
        kind,
        from: parseTimestamp(body.from) as Date,
        to: parseTimestamp(body.to) as Date,
        // Who asked, for the run's record: an API key id, or the admin token / open API.
        requestedBy: actor.actor.keyId ?? actor.actor.kind,
      }),
    );
    await this.audit.record({
      ...actor,
      action: `${kind}.started`,
      target: { type: 'sync_run', id: run.id },
      details: { connectionId, from: body.from, to: body.to },
    });
    return toSyncRunView(run, this.runs.progress(run));
  }
}

/** SyncRequestError -> the API's error body with the right status. */
async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SyncRequestError) {
      throw new HttpException(
        { error: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
        REQUEST_STATUS[error.code],
      );
    }
    throw error;
  }
}
