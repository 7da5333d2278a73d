import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLog, WebhookLogRepository, type WebhookLogFilter } from '@switchboard/persistence';
import { ReplayError, ReplayService, type ReplayResult } from '@switchboard/pipeline';
import { auditContext, type AuditedRequest } from '../auth/audit-actor.js';
import { RequireScope } from '../auth/auth.guard.js';
import { BulkReplayDto, ListWebhookLogsQuery, type WebhookLogFilterDto } from './webhook-logs.dto.js';
import { parseTimestamp } from '../http/field-rules.js';
import { decodeCursor, keysetPage } from '../http/keyset-page.js';
import { toWebhookLogView } from './webhook-log.view.js';

const REPLAY_STATUS: Record<ReplayError['code'], number> = {
  webhook_log_not_found: 404,
  not_replayable: 409,
  queue_unavailable: 503,
};

/** The webhook inbox for operators (admin scope): find what failed, look at it, replay it. */
@ApiTags('webhook-logs')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('webhook-logs')
export class WebhookLogsController {
  constructor(
    private readonly logs: WebhookLogRepository,
    private readonly replays: ReplayService,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Webhook log rows, newest first, with filters and cursor pagination (e.g. ?status=failed)',
  })
  async list(@Query() query: ListWebhookLogsQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, { timeRequired: true }) : undefined;
    const rows = await this.logs.list(
      toFilter(query),
      limit + 1,
      after ? { createdAtUs: after.at as string, id: after.id } : undefined,
    );
    return keysetPage(rows, limit, toWebhookLogView);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Replay every row matching the filters (status defaults to failed), oldest first, up to limit',
  })
  async replayMany(@Body() body: BulkReplayDto, @Req() request: AuditedRequest): Promise<ReplayResult> {
    const result = await replaying(this.replays.replayMany(toFilter(body), body.limit));
    await this.audit.record({
      ...auditContext(request),
      action: 'webhook_log.replayed',
      target: { type: 'webhook_log', id: null },
      details: { filter: { ...body }, replayed: result.replayed, skipped: result.skipped },
    });
    return result;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook log row' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const row = await this.logs.findById(id);
    if (!row)
      throw new NotFoundException({ error: 'webhook_log_not_found', message: `no webhook log ${id}` });
    return toWebhookLogView(row);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Put one row back on the queue with a fresh job' })
  async replayOne(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: AuditedRequest,
  ): Promise<ReplayResult> {
    const result = await replaying(this.replays.replayOne(id));
    await this.audit.record({
      ...auditContext(request),
      action: 'webhook_log.replayed',
      target: { type: 'webhook_log', id },
      details: { replayed: result.replayed, skipped: result.skipped },
    });
    return result;
  }
}

function toFilter(dto: WebhookLogFilterDto): WebhookLogFilter {
  return {
    connectionId: dto.connection,
    provider: dto.provider,
    status: dto.status,
    from: parseTimestamp(dto.from),
    to: parseTimestamp(dto.to),
  };
}

async function replaying(result: Promise<ReplayResult>): Promise<ReplayResult> {
  try {
    return await result;
  } catch (error) {
    if (error instanceof ReplayError) {
      throw new HttpException({ error: error.code, message: error.message }, REPLAY_STATUS[error.code]);
    }
    throw error;
  }
}
