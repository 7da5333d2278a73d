import { IsNotEmpty, IsString, Matches } from '@switchboard/plugin-sdk';

/**
 * A Retreaver connection's credentials. Retreaver authenticates every request with two query
 * parameters, `api_key` and `company_id`; the docs ask that `company_id` is always sent because
 * switching companies in the web UI also switches the API's default company.
 */
export class RetreaverCredentials {
  /** Core API key, from the bottom of the user page (retreaver.com/users/edit). Secret. */
  @IsString()
  @IsNotEmpty()
  @Matches(/^\S+$/, { message: 'apiKey must not contain spaces' })
  apiKey!: string;

  /** Internal company id (a number), from retreaver.com/company. */
  @IsString()
  @IsNotEmpty()
  @Matches(/^\d+$/, { message: 'companyId must be the numeric company id shown at retreaver.com/company' })
  companyId!: string;
}

/** Credential fields that are secret (never shown back, never logged). */
export const SECRET_CREDENTIAL_FIELDS = ['apiKey'];
