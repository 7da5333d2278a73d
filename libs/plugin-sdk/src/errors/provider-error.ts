import { SwitchboardError } from './switchboard-error.js';

export interface ProviderErrorOptions {
  /** HTTP status the provider answered, when there was one. */
  status?: number;
  /** How long the provider asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An error talking to, or understanding, a provider. `retryable` decides whether the retry policy
 * tries again: timeouts, 429 and 5xx are retryable; bad credentials and bad data are not.
 * Messages must never contain credentials or tokens.
 */
export class ProviderError extends SwitchboardError {
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly provider: string,
    readonly code: string,
    readonly retryable: boolean,
    message: string,
    options: ProviderErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The provider has no such operation (Retreaver has no number release after 24 h, TrackDrive no number API...). */
export class NotSupportedError extends ProviderError {
  constructor(provider: string, operation: string, reason?: string) {
    super(
      provider,
      'not_supported',
      false,
      `${provider} does not support ${operation}${reason ? `: ${reason}` : ''}`,
    );
  }
}

/**
 * The plugin does not implement the capability an operation needs (no HistorySource for a sync,
 * no CampaignSource for a campaign list...). The platform answers 501 `not_supported` naming it.
 */
export class MissingCapabilityError extends NotSupportedError {
  constructor(
    provider: string,
    readonly capability: string,
    operation: string,
  ) {
    super(provider, operation, `the ${provider} plugin does not implement ${capability}`);
  }
}

/** A payload or record could not be turned into a normalized call. Never retried: the data will not change. */
export class MappingError extends ProviderError {
  constructor(
    provider: string,
    message: string,
    readonly field?: string,
  ) {
    super(provider, 'mapping_failed', false, message);
  }
}

/** Credentials were refused (401/403). Not retryable until an operator fixes them. */
export class CredentialsError extends ProviderError {
  constructor(provider: string, message: string, status?: number) {
    super(provider, 'invalid_credentials', false, message, { status });
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError ? error.retryable : false;
}
