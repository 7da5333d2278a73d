import 'reflect-metadata';
import { IsString } from 'class-validator';
import { validateCredentials } from './credential-validation.js';

class NoCredentials {}

class ApiKey {
  @IsString()
  apiKey!: string;
}

describe('validateCredentials', () => {
  it('accepts {} for a plugin without credentials (an empty DTO class), and nothing else', () => {
    expect(validateCredentials(NoCredentials, {})).toBeInstanceOf(NoCredentials);
    expect(() => validateCredentials(NoCredentials, { apiKey: 'x' })).toThrow('apiKey: whitelistValidation');
  });

  it('still checks declared fields and refuses unknown ones', () => {
    expect(validateCredentials(ApiKey, { apiKey: 'k' })).toMatchObject({ apiKey: 'k' });
    expect(() => validateCredentials(ApiKey, {})).toThrow('apiKey: isString');
    expect(() => validateCredentials(ApiKey, { apiKey: 'k', extra: 1 })).toThrow(
      'extra: whitelistValidation',
    );
  });
});
