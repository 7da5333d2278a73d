import { ProviderError } from '../errors/provider-error.js';

/** Turns a plugin's paging position into the opaque string the platform stores, and back. */
export interface CursorCodec<T> {
  encode(position: T): string;
  /** The position, or ProviderError `invalid_cursor` for a string this codec did not produce. */
  decode(cursor: string): T;
  /** The error `decode` throws, with a reason (for checks the plugin adds, e.g. another window). */
  invalid(why?: string): ProviderError;
}

export interface CursorCodecOptions<T> {
  /** Provider id, named in the error. */
  provider: string;
  /**
   * Prefix that marks the format and its version (`"td1."`). Cursors are stored between syncs, so
   * change the prefix when the position's shape changes: old cursors are then refused, not misread.
   */
  prefix: string;
  /** The JSON payload stored for a position (default: the position itself). */
  write?: (position: T) => unknown;
  /** The position read back from the payload, or undefined when it is not one (then `invalid_cursor`). */
  read: (payload: unknown) => T | undefined;
}

/**
 * An opaque cursor format: `prefix` + base64url(JSON). Opaque so the platform never reads into it,
 * and validated on the way back so a cursor from another plugin, format or window fails loudly
 * (a non-retryable `invalid_cursor`) instead of silently skipping calls.
 */
export function cursorCodec<T>(options: CursorCodecOptions<T>): CursorCodec<T> {
  const { provider, prefix, read } = options;
  const write = options.write ?? ((position: T) => position);
  const invalid = (why = 'it is not a cursor this plugin returned') =>
    new ProviderError(provider, 'invalid_cursor', false, `${provider} cursor rejected: ${why}`);
  return {
    invalid,
    encode: (position) => prefix + Buffer.from(JSON.stringify(write(position)), 'utf8').toString('base64url'),
    decode: (cursor) => {
      if (typeof cursor !== 'string' || !cursor.startsWith(prefix)) throw invalid();
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.from(cursor.slice(prefix.length), 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      const position = read(payload);
      if (position === undefined) throw invalid();
      return position;
    },
  };
}
