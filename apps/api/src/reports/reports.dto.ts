import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_REPORT_GROUPS, type CallReportGroup } from '@switchboard/persistence';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsTimestamp, PROVIDER_ID } from '../http/field-rules.js';

export class CallReportQueryDto {
  @ApiProperty({
    example: '2026-11-01',
    description: 'Calls started at or after this time; a plain date is midnight in `tz`',
  })
  @IsTimestamp()
  from!: string;

  @ApiProperty({
    example: '2026-12-01',
    description: 'Calls started before this time; a plain date is midnight in `tz`',
  })
  @IsTimestamp()
  to!: string;

  @ApiPropertyOptional({ enum: CALL_REPORT_GROUPS, default: 'provider' })
  @IsOptional()
  @IsIn(CALL_REPORT_GROUPS)
  groupBy?: CallReportGroup;

  @ApiPropertyOptional({
    example: 'America/New_York',
    default: 'UTC',
    description: 'IANA time zone of day/hour buckets',
  })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/, {
    message: 'tz must be an IANA time zone such as America/New_York',
  })
  tz?: string;

  @ApiPropertyOptional({ description: 'Only this connection' })
  @IsOptional()
  @IsUUID()
  connection?: string;

  @ApiPropertyOptional({ example: 'ringba', description: 'Only this provider' })
  @IsOptional()
  @Matches(PROVIDER_ID, { message: 'provider must be a plugin type id such as "ringba"' })
  provider?: string;
}
