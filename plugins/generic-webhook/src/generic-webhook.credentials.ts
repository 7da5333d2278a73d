/**
 * A generic sender has no API for Switchboard to call, so a connection has no credentials: pass
 * `{}`. What proves a webhook genuine is the connection's webhook secret (token or HMAC), which the
 * platform issues and rotates.
 */
export class GenericWebhookCredentials {}

/** No credential field is secret (there are none). */
export const GENERIC_WEBHOOK_SECRET_CREDENTIAL_FIELDS: string[] = [];
