import { ProviderError } from '@switchboard/plugin-sdk';
import { decodeCursor, encodeCursor } from './retreaver.cursor.js';

describe('calls cursor', () => {
  it('round-trips the next page query', () => {
    const query = {
      created_at_start: '2026-03-01T00:00:00Z',
      created_at_end: '2026-03-02T00:00:00Z',
      sort_by: 'created_at',
      order: 'asc',
      per_page: '100',
      page: '3',
    };
    const cursor = encodeCursor(query);
    expect(cursor.startsWith('rt1.')).toBe(true);
    expect(decodeCursor(cursor)).toEqual({ query });
  });

  it('never carries the API key or company id (cursors are stored in the database)', () => {
    const cursor = encodeCursor({ page: '2', api_key: 'woofwoofwoof', company_id: '42' });
    expect(Buffer.from(cursor.slice(4), 'base64url').toString()).not.toMatch(/woof|company_id/);
    expect(decodeCursor(cursor)).toEqual({ query: { page: '2' } });
  });

  it('drops credentials even from a hand-made cursor', () => {
    const forged =
      'rt1.' + Buffer.from(JSON.stringify({ q: { page: '2', api_key: 'x' } })).toString('base64url');
    expect(decodeCursor(forged)).toEqual({ query: { page: '2' } });
  });

  it.each([
    ['empty', ''],
    ['foreign prefix', 'abc'],
    ['not base64 JSON', 'rt1.%%%'],
    ['JSON without q', 'rt1.' + Buffer.from('{"x":1}').toString('base64url')],
    ['q not an object', 'rt1.' + Buffer.from('{"q":[1]}').toString('base64url')],
    ['non-string value', 'rt1.' + Buffer.from('{"q":{"page":2}}').toString('base64url')],
  ])('rejects a cursor that is %s with a non-retryable error', (_name, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect((thrown as ProviderError).code).toBe('invalid_cursor');
    expect((thrown as ProviderError).retryable).toBe(false);
  });
});
