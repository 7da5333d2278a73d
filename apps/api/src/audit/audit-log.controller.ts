import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditLogRepository, type AuditLogRow } from '@switchboard/persistence';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { RequireScope } from '../auth/auth.guard.js';
import { IsTimestamp, parseTimestamp } from '../http/field-rules.js';
import { decodeCursor, keysetPage } from '../http/keyset-page.js';

export class ListAuditLogQuery {
  @ApiPropertyOptional({ example: 'connection.created' })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}\.[a-z_]{1,31}$/, { message: 'action must look like connection.created' })
  action?: string;

  @ApiPropertyOptional({
    example: 'connection',
    description: 'connection, api_key, webhook_log, backfill...',
  })
  @IsOptional()
  @Matches(/^[a-z_]{1,32}$/, { message: 'targetType must be lower-case letters and _' })
  targetType?: string;

  @ApiPropertyOptional({ description: 'Id of the connection, key, webhook log... acted on' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]{1,255}$/, { message: 'targetId must be an id' })
  targetId?: string;

  @ApiPropertyOptional({ description: 'At or after (2024-01-31 or 2024-01-31T12:00:00Z)' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'Before (2024-01-31 or 2024-01-31T12:00:00Z)' })
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** One audit record as admins see it. */
export interface AuditRecordView {
  id: string;
  at: string;
  actor: { kind: string; keyId: string | null };
  action: string;
  target: { type: string; id: string | null };
  requestId: string | null;
  details: Record<string, unknown>;
}

function toView(row: AuditLogRow): AuditRecordView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actor_kind, keyId: row.actor_key_id },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    requestId: row.request_id,
    details: row.details,
  };
}

/** The audit trail of admin actions (admin scope), newest first, keyset-paged like /webhook-logs. */
@ApiTags('audit-log')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogRepository) {}

  @Get()
  @ApiOperation({
    summary:
      'Admin actions, newest first: connection created/changed/deleted, webhook secret rotated/revoked, replays, ' +
      'API keys created/revoked, backfills started; filters and cursor pagination',
  })
  async list(@Query() query: ListAuditLogQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, { timeRequired: true }) : undefined;
    const rows = await this.audit.list(
      {
        action: query.action,
        targetType: query.targetType,
        targetId: query.targetId,
        from: parseTimestamp(query.from),
        to: parseTimestamp(query.to),
      },
      limit + 1,
      after ? { atUs: after.at as string, id: after.id } : undefined,
    );
    return keysetPage(rows, limit, toView);
  }
}
