import type { PluginManifest } from '@switchboard/core';
import { IsNotEmpty, IsOptional, IsString, Length, Matches } from 'class-validator';
import { credentialForm } from './credential-form.js';

class ExampleCredentials {
  @IsString()
  @Matches(/^RA[0-9A-Za-z]{6,64}$/, { message: 'accountId must be a Ringba account id such as "RA1b2c3..."' })
  accountId!: string;

  @IsString()
  @IsNotEmpty()
  @Length(8, 4096, { message: 'apiToken must be the API access token' })
  apiToken!: string;

  @IsOptional()
  @IsString()
  region?: string;
}

const manifest = {
  credentials: ExampleCredentials,
  secretCredentialFields: ['apiToken'],
} as unknown as PluginManifest;

describe('credentialForm', () => {
  it('describes each credential field from the DTO: label, secret, pattern, length, hints, optional', () => {
    const fields = credentialForm(manifest);
    expect(fields.map((f) => f.name)).toEqual(['accountId', 'apiToken', 'region']);
    const [account, token, region] = fields;
    expect(account).toMatchObject({
      label: 'Account ID',
      secret: false,
      required: true,
      pattern: '^RA[0-9A-Za-z]{6,64}$',
      hints: ['accountId must be a Ringba account id such as "RA1b2c3..."'],
    });
    expect(token).toMatchObject({
      label: 'Api Token',
      secret: true,
      required: true,
      minLength: 8,
      maxLength: 4096,
    });
    expect(token.hints).toEqual(['apiToken must be the API access token']);
    expect(region).toMatchObject({ label: 'Region', secret: false, required: false, hints: [] });
  });
});
