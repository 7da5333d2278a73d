import { ProviderError } from '@switchboard/plugin-sdk';
import { decodeCursor, encodeCursor, readNextCursor } from './trackdrive.cursor.js';

describe('TrackDrive cursor', () => {
  it('round-trips TrackDrive cursor values exactly, as opaque URL-safe strings', () => {
    for (const cursor of ['171883555347870', '1.7188355534787E+14', '-1', '9007199254740993123']) {
      const encoded = encodeCursor({ cursor });
      expect(encoded).toMatch(/^td1\.[A-Za-z0-9_-]+$/);
      expect(decodeCursor(encoded)).toEqual({ cursor });
    }
  });

  it.each([
    ['no prefix', 'eyJjIjoiMSJ9'],
    ['not base64 JSON', 'td1.!!!'],
    ['wrong shape', `td1.${Buffer.from('{"x":1}').toString('base64url')}`],
    ['not a number', `td1.${Buffer.from('{"c":"abc"}').toString('base64url')}`],
    ['empty', ''],
  ])('refuses a cursor it did not issue (%s) with a non-retryable error', (_label, value) => {
    expect(() => decodeCursor(value)).toThrow(ProviderError);
    try {
      decodeCursor(value);
    } catch (error) {
      expect((error as ProviderError).code).toBe('invalid_cursor');
      expect((error as ProviderError).retryable).toBe(false);
    }
  });

  it.each([
    [171883555347870, '171883555347870'],
    ['171883555347870', '171883555347870'],
    ['1.7188355534787E+14', '1.7188355534787E+14'],
    [12.5, '12.5'],
    [0, undefined],
    ['0', undefined],
    ['0.0', undefined],
    [null, undefined],
    [undefined, undefined],
    ['', undefined],
    ['next', undefined],
    [Number.NaN, undefined],
  ])('reads metadata.next_cursor %p as %p', (value, expected) => {
    expect(readNextCursor(value)).toBe(expected);
  });
});
