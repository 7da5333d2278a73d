import { MissingCapabilityError, NotSupportedError, ProviderError } from '@switchboard/core';
import type { ApiErrorBody } from './api-error.js';

/** Short reasons by error code: what happened, never what the provider said. */
const REASONS: Record<string, string> = {
  invalid_credentials: 'refused the credentials',
  rate_limited: 'rate limited the request; retry later',
  timeout: 'did not answer in time',
  network_error: 'could not be reached',
  mapping_failed: 'answered with data Switchboard could not read',
};

/**
 * The API's answer when a provider call failed. Provider answers are never shown: a provider (or
 * whatever settings.apiBaseUrl points at) that echoes the request would show our own credentials
 * back (`api_key=…`, `Token …`, Basic values). The client gets the provider, its HTTP status and a
 * short reason chosen by error code; the full message goes to the server log, redacted.
 */
export function providerFailureBody(error: ProviderError): ApiErrorBody {
  if (error instanceof NotSupportedError) {
    // Our own words (provider + operation + the plugin's fixed reason), not the provider's.
    return {
      statusCode: 501,
      error: 'not_supported',
      message: error.message,
      // `capability` when the plugin lacks the capability altogether (no request was made).
      details:
        error instanceof MissingCapabilityError
          ? { provider: error.provider, capability: error.capability }
          : { provider: error.provider },
    };
  }
  const status = error.status;
  const reason = REASONS[error.code] ?? (status ? `answered HTTP ${status}` : 'failed');
  return {
    statusCode: error.code === 'invalid_credentials' ? 422 : 502,
    error: error.code,
    message: `${error.provider} ${reason}`,
    details: { provider: error.provider, providerStatus: status ?? null, retryable: error.retryable },
  };
}

/**
 * libs/connections words a refused credential check as `<provider> refused the credentials: <the
 * provider error's message>`; only the part before the colon and the HTTP status are kept.
 */
export function credentialsRefusedBody(message: string): ApiErrorBody {
  const provider = message.split(' ')[0] ?? 'provider';
  const status = /answered (\d{3})/.exec(message)?.[1];
  return {
    statusCode: 422,
    error: 'credentials_refused',
    message: `${provider} refused the credentials${status ? ` (HTTP ${status})` : ''}`,
    details: { provider, providerStatus: status ? Number(status) : null },
  };
}
