import { IsNotEmpty, IsString, Length, Matches } from '@switchboard/plugin-sdk';

/**
 * A TrackDrive connection: the account's subdomain (`acme` in `acme.trackdrive.com`) and an API
 * key pair from the TrackDrive profile page, sent as HTTP Basic auth (public:private).
 */
export class TrackDriveCredentials {
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, {
    message: 'subdomain must be the account subdomain only (e.g. "acme" for acme.trackdrive.com)',
  })
  subdomain!: string;

  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  publicKey!: string;

  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  privateKey!: string;
}

/** Fields of TrackDriveCredentials that are secret. */
export const TRACKDRIVE_SECRET_CREDENTIAL_FIELDS = ['privateKey'];
