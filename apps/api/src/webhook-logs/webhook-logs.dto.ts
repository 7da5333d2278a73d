import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

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
  @IsString()
  @MaxLength(50)
  provider?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_LOG_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(WEBHOOK_LOG_STATUSES)
  status?: (typeof WEBHOOK_LOG_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Received at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Received before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
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
