import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyRecord, type ApiKeyScope } from '@switchboard/persistence';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsTimestamp } from '../http/field-rules.js';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'billing service', description: 'What the key is for (shown in listings)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    example: 'read',
    description: 'read: calls and reports; write: also campaigns/numbers changes; admin: everything',
  })
  @IsIn(API_KEY_SCOPES)
  scope!: ApiKeyScope;

  @ApiPropertyOptional({ example: '90d', description: 'Lifetime: <n>m, h, d, w or y (1 minute to 10 years)' })
  @IsOptional()
  @Matches(/^\d{1,5}[mhdwy]$/, { message: 'expiresIn must be a lifetime like 90d, 12h, 2w or 1y' })
  expiresIn?: string;

  @ApiPropertyOptional({ example: '2027-01-31T00:00:00Z', description: 'Expiry time (instead of expiresIn)' })
  @IsOptional()
  @IsTimestamp()
  expiresAt?: string;
}

/** An API key as listed: never the key or its hash. */
export class ApiKeyView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '3f9a1c2b', description: 'The key starts with sk_<prefix>_' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: string[];
  @ApiProperty({ nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CreatedApiKeyView {
  @ApiProperty({ type: ApiKeyView }) apiKey!: ApiKeyView;
  @ApiProperty({ example: 'sk_3f9a1c2b_…', description: 'The key itself: shown this once, store it now' })
  key!: string;
}

export function toApiKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes,
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
  };
}
