import { CredentialsError } from './errors/provider-error.js';

/**
 * The usual validateCredentials: true when `authenticate` succeeds, false when the provider
 * refuses the credentials (CredentialsError), and any other failure rethrown — an outage is not a
 * verdict on the credentials.
 */
export async function credentialsAccepted(authenticate: () => Promise<unknown>): Promise<boolean> {
  try {
    await authenticate();
    return true;
  } catch (error) {
    if (error instanceof CredentialsError) return false;
    throw error;
  }
}

/**
 * An adapter's answer to "are these credentials accepted?": its own `validateCredentials` when it
 * has one, else `credentialsAccepted(() => adapter.authenticate())`. Plugins need not write it.
 */
export function validateAdapterCredentials(adapter: {
  authenticate(): Promise<void>;
  validateCredentials?(): Promise<boolean>;
}): Promise<boolean> {
  return adapter.validateCredentials
    ? adapter.validateCredentials()
    : credentialsAccepted(() => adapter.authenticate());
}
