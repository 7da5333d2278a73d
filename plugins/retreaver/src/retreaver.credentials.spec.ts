import { validate } from 'class-validator';
import { RetreaverCredentials } from './retreaver.credentials.js';

async function problems(input: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(Object.assign(new RetreaverCredentials(), input));
  return errors.map((e) => e.property).sort();
}

describe('RetreaverCredentials', () => {
  it('accepts an API key and a numeric company id', async () => {
    expect(await problems({ apiKey: 'woofwoofwoof', companyId: '1' })).toEqual([]);
  });

  it.each([
    ['missing both', {}, ['apiKey', 'companyId']],
    ['empty key', { apiKey: '', companyId: '1' }, ['apiKey']],
    ['key with spaces', { apiKey: 'woof woof', companyId: '1' }, ['apiKey']],
    ['key not a string', { apiKey: 123, companyId: '1' }, ['apiKey']],
    ['company id not numeric', { apiKey: 'k', companyId: 'acme' }, ['companyId']],
    ['company id as a number', { apiKey: 'k', companyId: 1 }, ['companyId']],
  ])('refuses %s', async (_name, input, fields) => {
    expect(await problems(input)).toEqual(fields);
  });

  it('never echoes the key in a validation message', async () => {
    const errors = await validate(
      Object.assign(new RetreaverCredentials(), { apiKey: 'sec ret', companyId: 'x' }),
    );
    expect(JSON.stringify(errors.map((e) => e.constraints))).not.toContain('sec ret');
  });
});
