/** Base of every error Switchboard raises on purpose. `code` is stable and machine-readable. */
export abstract class SwitchboardError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value is missing or malformed. Stops startup. */
export class ConfigError extends SwitchboardError {
  readonly code = 'invalid_config';
}

/** A webhook failed verification (signature, token, timestamp or source address). */
export class SignatureError extends SwitchboardError {
  constructor(
    readonly code:
      | 'missing_signature'
      | 'invalid_signature'
      | 'timestamp_out_of_tolerance'
      | 'invalid_token'
      | 'missing_token'
      | 'address_not_allowed',
    message: string,
  ) {
    super(message);
  }
}
