import { ProviderError, type CallFilters } from '@switchboard/plugin-sdk';
import { cursorScope, decodeCursor, encodeCursor } from './ringba.cursor.js';

const filters: CallFilters = { from: new Date('2025-05-29T12:00:00Z'), to: new Date('2025-06-01T12:00:00Z') };

describe('ringba cursor', () => {
  it('round-trips the offset for the same filters', () => {
    const cursor = encodeCursor({ offset: 300, scope: cursorScope(filters) });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { ...filters, pageSize: 50 })).toEqual({
      offset: 300,
      scope: cursorScope(filters),
    });
  });

  it('refuses a cursor of another window or campaign', () => {
    const cursor = encodeCursor({ offset: 100, scope: cursorScope(filters) });
    const later = { ...filters, to: new Date('2025-06-02T00:00:00Z') };
    expect(() => decodeCursor(cursor, later)).toThrow(/different window/);
    expect(() => decodeCursor(cursor, { ...filters, campaignExternalId: 'CA1' })).toThrow(ProviderError);
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    ['wrong version', Buffer.from(JSON.stringify({ v: 2, o: 0, s: '' })).toString('base64url')],
    [
      'negative offset',
      Buffer.from(JSON.stringify({ v: 1, o: -5, s: cursorScope(filters) })).toString('base64url'),
    ],
    [
      'fractional offset',
      Buffer.from(JSON.stringify({ v: 1, o: 1.5, s: cursorScope(filters) })).toString('base64url'),
    ],
  ])('refuses %s as a non-retryable error', (_name, value) => {
    try {
      decodeCursor(value, filters);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('invalid_cursor');
      expect((error as ProviderError).retryable).toBe(false);
    }
  });
});
