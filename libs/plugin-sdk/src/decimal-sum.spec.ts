import { addDecimals, sumDecimals } from './decimal-sum.js';

describe('sumDecimals / addDecimals', () => {
  it('adds without floating point error', () => {
    expect(sumDecimals(['0.1000', '0.2000'])).toBe('0.3000');
    expect(sumDecimals(Array.from({ length: 10 }, () => '0.1000'))).toBe('1.0000');
    expect(addDecimals('99999999999999.9999', '0.0001')).toBe('100000000000000.0000');
  });

  it('skips undefined and handles negatives, short fractions and empty input', () => {
    expect(sumDecimals(['12.5', undefined, '-2.25'])).toBe('10.2500');
    expect(addDecimals('42.5000', undefined, '-50.0001')).toBe('-7.5001');
    expect(addDecimals('-0.0500')).toBe('-0.0500');
    expect(sumDecimals([])).toBe('0.0000');
    expect(addDecimals(undefined, undefined)).toBe('0.0000');
  });

  it('refuses text that is not an amount, and precision it would lose', () => {
    expect(() => sumDecimals(['12,50'])).toThrow(RangeError);
    expect(() => sumDecimals(['.'])).toThrow(RangeError);
    expect(() => addDecimals('1.00005')).toThrow(RangeError);
    expect(addDecimals('1.00000')).toBe('1.0000');
  });
});
