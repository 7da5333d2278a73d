import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsOptionalNotNull, PROVIDER_ID } from '../http/field-rules.js';

const CIDR = /^[0-9a-fA-F:.]+(\/\d{1,3})?$/;

export class CreateConnectionDto {
  @ApiProperty({ example: 'ringba', description: 'Plugin type id (see GET /plugins)' })
  @IsString()
  @IsNotEmpty()
  provider!: string;

  @ApiProperty({ example: 'Ringba main account' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiProperty({
    example: { accountId: 'RA0123', apiToken: '…' },
    description: "The plugin's credential fields",
  })
  @IsObject()
  credentials!: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ['live', 'shadow'],
    default: 'live',
    description: 'shadow = receive and log webhooks without processing',
  })
  @IsOptionalNotNull()
  @IsIn(['live', 'shadow'])
  mode?: 'live' | 'shadow';

  @ApiPropertyOptional({
    example: { apiBaseUrl: 'http://127.0.0.1:4010' },
    description:
      'Plugin and platform settings (README "Connection settings"). The generic-webhook plugin reads ' +
      '`mapping`, e.g. {"mapping": {"fields": {"externalId": {"from": "body", "path": "$.call.id"}}, ' +
      '"money": "cents", "time": "unix-seconds"}} (plugins/generic-webhook/README.md). A bad value is ' +
      '400 invalid_settings naming the field (details.field, details.problems).',
  })
  @IsOptionalNotNull()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: ['203.0.113.0/24'],
    description: 'Webhook source addresses allowed (empty = any)',
  })
  @IsOptionalNotNull()
  @IsString({ each: true })
  @Matches(CIDR, { each: true })
  ipAllowlist?: string[];

  @ApiPropertyOptional({
    default: true,
    description: 'Check the credentials against the provider before saving',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  validate?: boolean;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ enum: ['live', 'shadow'] })
  @IsOptionalNotNull()
  @IsIn(['live', 'shadow'])
  mode?: 'live' | 'shadow';

  @ApiPropertyOptional({ description: 'false stops webhooks (404) and syncs for this connection' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    description: 'Replaces the settings, checked as on create (400 invalid_settings naming the field)',
  })
  @IsOptionalNotNull()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString({ each: true })
  @Matches(CIDR, { each: true })
  ipAllowlist?: string[];

  @ApiPropertyOptional({ description: 'Replaces the stored credentials' })
  @IsOptionalNotNull()
  @IsObject()
  credentials?: Record<string, unknown>;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ default: true, description: 'Keep the previous secret valid until revoked' })
  @IsOptional()
  @IsBoolean()
  keepPrevious?: boolean;
}

export class ListConnectionsQuery {
  @ApiPropertyOptional({ example: 'ringba', description: 'Only connections of this plugin type' })
  @IsOptional()
  @Matches(PROVIDER_ID, { message: 'provider must be a plugin type id such as "ringba"' })
  provider?: string;
}
