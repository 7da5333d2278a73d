/** Errors of connection management; the API maps `code` to a 4xx with the same machine-readable code. */
export class ConnectionError extends Error {
  constructor(
    readonly code:
      | 'connection_not_found'
      | 'unknown_provider'
      | 'invalid_credentials'
      | 'invalid_request'
      | 'invalid_settings'
      | 'api_base_url_not_allowed'
      | 'credentials_refused',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}
