import { sumDecimals } from './decimal-amount.js';

describe('sumDecimals', () => {
  it('adds without floating point error', () => {
    expect(sumDecimals(['0.1000', '0.2000'])).toBe('0.3000');
    expect(sumDecimals(Array.from({ length: 10 }, () => '0.1000'))).toBe('1.0000');
  });

  it('skips undefined and handles negatives, short fractions and empty input', () => {
    expect(sumDecimals(['12.5', undefined, '-2.25'])).toBe('10.2500');
    expect(sumDecimals(['-3.0000', '1.0000'])).toBe('-2.0000');
    expect(sumDecimals([])).toBe('0.0000');
  });

  it('refuses text that is not an amount', () => {
    expect(() => sumDecimals(['12,50'])).toThrow(RangeError);
  });
});
