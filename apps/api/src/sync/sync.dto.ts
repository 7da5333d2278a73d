import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { SYNC_RUN_KINDS, SYNC_RUN_STATES } from '@switchboard/persistence';
import { IsTimestamp } from '../http/field-rules.js';

/** The window of a run, by call start time: [from, to). */
export class RunWindowDto {
  @ApiProperty({
    example: '2026-11-01',
    description: 'Start of the window (inclusive), a date or date and time',
  })
  @IsTimestamp()
  from!: string;

  @ApiProperty({
    example: '2026-11-08',
    description: 'End of the window (exclusive), a date or date and time',
  })
  @IsTimestamp()
  to!: string;
}

export class ListSyncRunsQuery {
  @ApiPropertyOptional({ description: 'Connection id' })
  @IsOptional()
  @IsUUID()
  connectionId?: string;

  @ApiPropertyOptional({ enum: SYNC_RUN_KINDS })
  @IsOptional()
  @IsIn(SYNC_RUN_KINDS)
  kind?: (typeof SYNC_RUN_KINDS)[number];

  @ApiPropertyOptional({ enum: SYNC_RUN_STATES })
  @IsOptional()
  @IsIn(SYNC_RUN_STATES)
  state?: (typeof SYNC_RUN_STATES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
