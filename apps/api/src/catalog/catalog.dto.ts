import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

export class CatalogQuery {
  @ApiPropertyOptional({
    description: "true: read the provider's list now instead of the copy kept for a minute",
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  refresh?: boolean;
}

export class ProvisionNumberDto {
  @ApiPropertyOptional({ example: 'US', default: 'US' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be a two-letter country code such as US' })
  countryCode?: string;

  @ApiPropertyOptional({ example: '415' })
  @IsOptional()
  @Matches(/^\d{2,5}$/, { message: 'areaCode must be 2 to 5 digits' })
  areaCode?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  tollFree?: boolean;

  @ApiPropertyOptional({ description: 'Campaign at the provider to attach the number to' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  campaignExternalId?: string;
}
