import { CredentialsError, ProviderError } from '@switchboard/core';

export interface SyncFailure {
  /** auth_failed: the provider refused the credentials; retrying cannot help until they are fixed. */
  state: 'failed' | 'auth_failed';
  retryable: boolean;
  /** Safe to store and show: ProviderError messages never carry credentials. */
  message: string;
}

/** How a sync error is recorded and whether the run is worth retrying. */
export function syncFailure(error: unknown): SyncFailure {
  if (error instanceof CredentialsError) {
    return { state: 'auth_failed', retryable: false, message: error.message };
  }
  if (error instanceof ProviderError) {
    return { state: 'failed', retryable: error.retryable, message: `${error.code}: ${error.message}` };
  }
  // Database or Redis trouble, a bug: worth another try later.
  const message = error instanceof Error ? error.message : String(error);
  return { state: 'failed', retryable: true, message };
}
