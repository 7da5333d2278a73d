import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { TrackDriveCredentials } from './trackdrive.credentials.js';

function problems(input: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(TrackDriveCredentials, input)).map((e) => e.property);
}

const valid = { subdomain: 'acme-calls', publicKey: 'tdpub_abc', privateKey: 'tdprv_def' };

describe('TrackDriveCredentials', () => {
  it('accepts a subdomain and a key pair', () => {
    expect(problems(valid)).toEqual([]);
  });

  it.each([
    ['subdomain', { ...valid, subdomain: undefined }],
    ['subdomain', { ...valid, subdomain: 'acme.trackdrive.com' }],
    ['subdomain', { ...valid, subdomain: 'https://acme' }],
    ['subdomain', { ...valid, subdomain: '-acme' }],
    ['subdomain', { ...valid, subdomain: 42 }],
    ['publicKey', { ...valid, publicKey: '' }],
    ['publicKey', { ...valid, publicKey: undefined }],
    ['privateKey', { ...valid, privateKey: '' }],
    ['privateKey', { ...valid, privateKey: 7 }],
  ])('refuses a bad %s', (field, input) => {
    expect(problems(input)).toEqual([field]);
  });
});
