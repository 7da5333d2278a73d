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
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SyncStatusRepository, SyncRunRepository, type SyncRunKind } from '@switchboard/persistence';
import { SyncRequestError, SyncRunService, toSyncRunView, toSyncStatusView } from '@switchboard/sync';
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
  ) {}

  @Get('connections/:id/sync')
  @ApiOperation({
    summary: "A connection's scheduled sync: state, high-water mark, last run figures, recent runs",
  })
  async syncState(@Param('id', ParseUUIDPipe) id: string) {
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
  syncNow(@Param('id', ParseUUIDPipe) id: string) {
    return mapped(this.runs.syncNow(id));
  }

  @Post('connections/:id/backfills')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Backfill the provider's call history over [from, to): resumable, in chunks (a day by default); watch it at GET /backfills/:id",
  })
  backfill(@Param('id', ParseUUIDPipe) id: string, @Body() body: RunWindowDto) {
    return this.start(id, 'backfill', body);
  }

  @Post('connections/:id/recoveries')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Missed-webhook recovery over [from, to): calls the provider has that we lack, or whose final state never reached us, are processed as if their webhook had arrived; the report lists them',
  })
  recover(@Param('id', ParseUUIDPipe) id: string, @Body() body: RunWindowDto) {
    return this.start(id, 'recovery', body);
  }

  @Post('connections/:id/consistency-checks')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Consistency check over [from, to): calls missing here, calls missing at the provider, and field-by-field differences; writes nothing',
  })
  check(@Param('id', ParseUUIDPipe) id: string, @Body() body: RunWindowDto) {
    return this.start(id, 'consistency', body);
  }

  @Post('connections/:id/parallel-run-reports')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Parallel-run report of a shadow connection over [from, to): what its webhooks said against what the provider's API says",
  })
  parallelRun(@Param('id', ParseUUIDPipe) id: string, @Body() body: RunWindowDto) {
    return this.start(id, 'parallel_run', body);
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
  async cancel(@Param('id', ParseUUIDPipe) id: string) {
    const run = await mapped(this.runs.cancel(id));
    return toSyncRunView(run, this.runs.progress(run));
  }

  private async start(connectionId: string, kind: SyncRunKind, body: RunWindowDto) {
    const run = await mapped(
      this.runs.start({
        connectionId,
        kind,
        from: parseTimestamp(body.from) as Date,
        to: parseTimestamp(body.to) as Date,
        requestedBy: 'api',
      }),
    );
    return toSyncRunView(run, this.runs.progress(run));
  }
}

/** SyncRequestError -> the API's error body with the right status. */
async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SyncRequestError) {
      throw new HttpException({ error: error.code, message: error.message }, REQUEST_STATUS[error.code]);
    }
    throw error;
  }
}
