import { ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_STATUSES } from '@switchboard/core';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsTimestamp, PROVIDER_ID } from '../http/field-rules.js';

/** Filters shared by the call list and the live stream. */
export class CallFilterQuery {
  @ApiPropertyOptional({ description: 'Connection id' })
  @IsOptional()
  @IsUUID()
  connection?: string;

  @ApiPropertyOptional({ description: 'Same as `connection` (the name the connection resource uses)' })
  @IsOptional()
  @IsUUID()
  connectionId?: string;

  @ApiPropertyOptional({
    example: 'ringba',
    description: 'Plugin type id (lower-case letters, digits, dashes)',
  })
  @IsOptional()
  @Matches(PROVIDER_ID, { message: 'provider must be a plugin type id such as "ringba"' })
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

  @ApiPropertyOptional({
    example: '+12025550143',
    description:
      'A phone number (E.164, or a US number in any common format): calls whose caller, tracking or destination number it is',
  })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{7,20}$/, { message: 'number must be a phone number such as +12025550143' })
  number?: string;
}

export class ListCallsQuery extends CallFilterQuery {
  @ApiPropertyOptional({
    description: 'Calls started at or after this time (2024-01-31 or 2024-01-31T12:00:00Z)',
  })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'Calls started before this time (2024-01-31 or 2024-01-31T12:00:00Z)' })
  @IsOptional()
  @IsTimestamp()
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

/** `true`/`false` (and 1/0) in a query string; anything else stays as given and fails @IsBoolean. */
const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class GetCallQuery {
  @ApiPropertyOptional({
    description: "true: re-read the call from the provider's API first (stored through the normal merge)",
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  fresh?: boolean;
}

export class CallEventsQuery {
  @ApiPropertyOptional({ default: 200, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0, description: 'nextOffset of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
