import { ProviderError } from '../errors/provider-error.js';
import { cursorCodec } from './cursor-codec.js';

const codec = cursorCodec<{ offset: number }>({
  provider: 'acme',
  prefix: 'ac1.',
  write: (p) => ({ o: p.offset }),
  read: (payload) => {
    const o = (payload as { o?: unknown } | null)?.o;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? { offset: o } : undefined;
  },
});

const rejection = (cursor: string) => {
  try {
    codec.decode(cursor);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${cursor}`);
};

describe('cursorCodec', () => {
  it('round-trips a position through an opaque, URL-safe string with the prefix', () => {
    const cursor = codec.encode({ offset: 1200 });
    expect(cursor).toMatch(/^ac1\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('1200');
    expect(codec.decode(cursor)).toEqual({ offset: 1200 });
  });

  it.each([
    ['another prefix', 'xx1.eyJvIjoxfQ'],
    ['not base64 JSON', 'ac1.%%%'],
    ['a payload read refuses', `ac1.${Buffer.from('{"o":-1}').toString('base64url')}`],
    ['JSON null', `ac1.${Buffer.from('null').toString('base64url')}`],
  ])('refuses %s with a non-retryable invalid_cursor', (_what, cursor) => {
    const error = rejection(cursor);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'acme', code: 'invalid_cursor', retryable: false });
  });

  it('gives the plugin the same error for its own checks', () => {
    expect(codec.invalid('it belongs to a different window').message).toBe(
      'acme cursor rejected: it belongs to a different window',
    );
  });

  it('with an empty prefix, reads what a plugin without one wrote', () => {
    const bare = cursorCodec<number>({
      provider: 'acme',
      prefix: '',
      read: (p) => (typeof p === 'number' ? p : undefined),
    });
    expect(bare.decode(Buffer.from('7').toString('base64url'))).toBe(7);
  });
});
