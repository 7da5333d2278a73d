import { ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_STATUSES } from '@switchboard/core';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Filters shared by the call list and the live stream. */
export class CallFilterQuery {
  @ApiPropertyOptional({ description: 'Connection id' })
  @IsOptional()
  @IsUUID()
  connection?: string;

  @ApiPropertyOptional({ example: 'ringba' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  provider?: string;

  @ApiPropertyOptional({ enum: CALL_STATUSES })
  @IsOptional()
  @IsIn(CALL_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: "Campaign id at the provider (the call's campaignExternalId)" })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  campaign?: string;
}

export class ListCallsQuery extends CallFilterQuery {
  @ApiPropertyOptional({ description: 'Calls started at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Calls started before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class StreamCallsQuery extends CallFilterQuery {
  @ApiPropertyOptional({
    description:
      'Resume after this event id (same as the Last-Event-ID header, for clients that cannot set headers)',
  })
  @IsOptional()
  @Matches(/^\d{1,20}-\d{1,20}$/)
  lastEventId?: string;
}
