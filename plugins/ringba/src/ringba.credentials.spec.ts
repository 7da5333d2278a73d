import { validate } from 'class-validator';
import { RingbaCredentials } from './ringba.credentials.js';

function credentials(values: Record<string, unknown>): RingbaCredentials {
  return Object.assign(new RingbaCredentials(), values);
}

async function failingFields(values: Record<string, unknown>): Promise<string[]> {
  return (await validate(credentials(values))).map((e) => e.property).sort();
}

describe('RingbaCredentials', () => {
  const valid = {
    accountId: 'RA608a55cf08d848b9ae4cac7402f1c019',
    apiToken: '09f1c2d3e4b5a6978877665544332211aabbccdd',
  };

  it('accepts an account id and an API token', async () => {
    expect(await failingFields(valid)).toEqual([]);
  });

  it.each([
    ['missing account id', { apiToken: valid.apiToken }, ['accountId']],
    ['account id without the RA prefix', { ...valid, accountId: 'CA608a55cf08d848b9' }, ['accountId']],
    ['account id with a path separator', { ...valid, accountId: 'RA608a55/../x' }, ['accountId']],
    ['missing token', { accountId: valid.accountId }, ['apiToken']],
    ['empty token', { ...valid, apiToken: '' }, ['apiToken']],
    ['token too short', { ...valid, apiToken: 'abc' }, ['apiToken']],
    ['token not a string', { ...valid, apiToken: 12345678 }, ['apiToken']],
  ])('refuses %s', async (_name, values, fields) => {
    expect(await failingFields(values)).toEqual(fields);
  });
});
