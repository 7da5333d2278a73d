import { IsNotEmpty, IsString, Length } from '@switchboard/plugin-sdk';

/** What an operator enters to connect an account. Validated before anything is stored. */
export class StarterCredentials {
  @IsString()
  @IsNotEmpty()
  accountId!: string;

  /** Secret: listed in the manifest's secretCredentialFields, so it is never shown back. */
  @IsString()
  @Length(16, 256)
  apiKey!: string;
}
