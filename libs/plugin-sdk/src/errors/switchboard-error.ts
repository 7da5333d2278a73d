/** Names of an error's classes, up to SwitchboardError; shared by every copy of the SDK. */
const ERROR_CLASSES = Symbol.for('switchboard.error-classes');

/**
 * Base of every error Switchboard raises on purpose. `code` is stable and machine-readable.
 *
 * A plugin installed outside the platform carries its own copy of this SDK, so the
 * CredentialsError it throws is not the platform's class. `instanceof` therefore also matches by
 * class name recorded under a global symbol: the platform's `error instanceof CredentialsError`
 * holds for any copy's CredentialsError (and the plugin's checks hold for the platform's errors).
 */
export abstract class SwitchboardError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    const classes: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c))
      classes.push((c as { name: string }).name);
    Object.defineProperty(this, ERROR_CLASSES, { value: classes });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null) return false;
    const classes = (value as { [ERROR_CLASSES]?: unknown })[ERROR_CLASSES];
    return Array.isArray(classes) && classes.includes(this.name);
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
