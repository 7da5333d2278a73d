import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsTimestamp, PROVIDER_ID } from '../http/field-rules.js';

export const WEBHOOK_LOG_STATUSES = [
  'received',
  'queued',
  'processed',
  'failed',
  'rejected',
  'ignored',
] as const;

export class WebhookLogFilterDto {
  @ApiPropertyOptional({ description: 'Connection id' })
  @IsOptional()
  @IsUUID()
  connection?: string;

  @ApiPropertyOptional({ example: 'ringba' })
  @IsOptional()
  @Matches(PROVIDER_ID, { message: 'provider must be a plugin type id such as "ringba"' })
  provider?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_LOG_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(WEBHOOK_LOG_STATUSES)
  status?: (typeof WEBHOOK_LOG_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Received at or after (2024-01-31 or 2024-01-31T12:00:00Z)' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'Received before (2024-01-31 or 2024-01-31T12:00:00Z)' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

export class ListWebhookLogsQuery extends WebhookLogFilterDto {
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

export class BulkReplayDto extends WebhookLogFilterDto {
  @ApiPropertyOptional({
    default: 1000,
    minimum: 1,
    maximum: 10000,
    description: 'Most rows to replay in this call',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}
