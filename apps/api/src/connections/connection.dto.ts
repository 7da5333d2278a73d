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
  @IsOptional()
  @IsIn(['live', 'shadow'])
  mode?: 'live' | 'shadow';

  @ApiPropertyOptional({
    example: { apiBaseUrl: 'http://127.0.0.1:4010' },
    description: 'Plugin and platform settings',
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: ['203.0.113.0/24'],
    description: 'Webhook source addresses allowed (empty = any)',
  })
  @IsOptional()
  @IsString({ each: true })
  @Matches(CIDR, { each: true })
  ipAllowlist?: string[];

  @ApiPropertyOptional({
    default: true,
    description: 'Check the credentials against the provider before saving',
  })
  @IsOptional()
  @IsBoolean()
  validate?: boolean;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ enum: ['live', 'shadow'] })
  @IsOptional()
  @IsIn(['live', 'shadow'])
  mode?: 'live' | 'shadow';

  @ApiPropertyOptional({ description: 'false stops webhooks (404) and syncs for this connection' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ each: true })
  @Matches(CIDR, { each: true })
  ipAllowlist?: string[];

  @ApiPropertyOptional({ description: 'Replaces the stored credentials' })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown>;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ default: true, description: 'Keep the previous secret valid until revoked' })
  @IsOptional()
  @IsBoolean()
  keepPrevious?: boolean;
}
