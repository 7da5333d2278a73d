import {
  CredentialsError,
  MappingError,
  NotSupportedError,
  ProviderError,
  isRetryable,
} from './provider-error.js';
import { SwitchboardError } from './switchboard-error.js';

/** An error as another copy of the SDK (a plugin's own node_modules) would construct it. */
function fromAnotherCopy(classes: string[], code: string): Error {
  const error = new Error('from another copy') as Error & { code: string; retryable: boolean };
  error.code = code;
  error.retryable = false;
  Object.defineProperty(error, Symbol.for('switchboard.error-classes'), { value: classes });
  return error;
}

describe('SDK errors across copies', () => {
  it('matches its own classes and their parents as usual', () => {
    const error = new CredentialsError('acme', 'refused', 401);
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(NotSupportedError);
    expect(error.name).toBe('CredentialsError');
  });

  it("matches another copy's error by class name, and only the classes it is", () => {
    const other = fromAnotherCopy(
      ['NotSupportedError', 'ProviderError', 'SwitchboardError'],
      'not_supported',
    );
    expect(other instanceof NotSupportedError).toBe(true);
    expect(other instanceof ProviderError).toBe(true);
    expect(other instanceof CredentialsError).toBe(false);
    expect(other instanceof MappingError).toBe(false);
    expect(isRetryable(other)).toBe(false);
    expect(new Error('plain') instanceof ProviderError).toBe(false);
    expect({ message: 'not an error' } instanceof SwitchboardError).toBe(false);
  });
});
