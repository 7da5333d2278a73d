import { IsNotEmpty, IsString, Length, Matches } from '@switchboard/plugin-sdk';

/**
 * Credentials of one Ringba connection. The API token is created in the Ringba UI (Security >
 * API Access Tokens) and never expires; the account id (`RA...`) is the first path segment of
 * every API call (R1).
 */
export class RingbaCredentials {
  @IsString()
  @Matches(/^RA[0-9A-Za-z]{6,64}$/, { message: 'accountId must be a Ringba account id such as "RA1b2c3..."' })
  accountId!: string;

  @IsString()
  @IsNotEmpty()
  @Length(8, 4096, {
    message: 'apiToken must be the API access token from Ringba (Security > API Access Tokens)',
  })
  apiToken!: string;
}

/** Credential fields that are secret: never shown back, never logged. */
export const RINGBA_SECRET_CREDENTIAL_FIELDS = ['apiToken'];
