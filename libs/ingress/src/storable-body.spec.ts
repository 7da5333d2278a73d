import { MAX_BODY_NESTING, unstorableReason } from './storable-body.js';

const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`) as unknown;

describe('unstorableReason', () => {
  it('accepts ordinary bodies, text and form bodies', () => {
    expect(unstorableReason({ call: { id: 'c1', tags: ['a', { b: 1 }] }, n: null })).toBeUndefined();
    expect(unstorableReason('plain text')).toBeUndefined();
    expect(unstorableReason('bytes with a NUL \u0000 stay bytes')).toBeUndefined();
    expect(unstorableReason(undefined)).toBeUndefined();
    expect(unstorableReason(nested(MAX_BODY_NESTING))).toBeUndefined();
  });

  it('refuses a NUL in any string value or key', () => {
    expect(unstorableReason(JSON.parse('{"a":{"b":["x\\u0000y"]}}'))).toMatch(/NUL character/);
    expect(unstorableReason(JSON.parse('{"a\\u0000":1}'))).toMatch(/NUL character/);
    expect(unstorableReason({ form: ['ok', 'no\u0000'] })).toMatch(/NUL character/);
  });

  it('refuses nesting past the limit, even 30,000 levels deep, without overflowing', () => {
    expect(unstorableReason(nested(MAX_BODY_NESTING + 1))).toMatch(/nested deeper than 100 levels/);
    expect(unstorableReason(nested(30_000))).toMatch(/nested deeper/);
  });
});
