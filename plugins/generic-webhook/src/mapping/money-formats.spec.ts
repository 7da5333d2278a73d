import { parseMoneyAs } from './money-formats.js';

const value = (format: Parameters<typeof parseMoneyAs>[0], raw: unknown) => {
  const parsed = parseMoneyAs(format, raw);
  return parsed === undefined ? undefined : parsed.ok ? parsed.value : `refused: ${parsed.reason}`;
};

describe('money formats', () => {
  it('decimal: numbers and dot decimals, the SDK rules (a lone comma is refused, not guessed)', () => {
    expect(value('decimal', '12.5')).toBe('12.5000');
    expect(value('decimal', 12.5)).toBe('12.5000');
    expect(value('decimal', '$1,234.50')).toBe('1234.5000');
    expect(value('decimal', '1.99999')).toBe('2.0000');
    expect(value('decimal', '45,50')).toMatch(/^refused: .*comma/);
    expect(value('decimal', '')).toBeUndefined();
  });

  it('cents: whole minor units, exactly', () => {
    expect(value('cents', 1250)).toBe('12.5000');
    expect(value('cents', '1250')).toBe('12.5000');
    expect(value('cents', '-5')).toBe('-0.0500');
    expect(value('cents', '0')).toBe('0.0000');
    expect(value('cents', '999999999999')).toBe('9999999999.9900');
    expect(value('cents', '12.50')).toBe('refused: is not a whole number of cents');
    expect(value('cents', 12.5)).toBe('refused: is not a whole number of cents');
    expect(value('cents', '100000000000000')).toMatch(/^refused: .*integer digits/);
    expect(value('cents', true)).toMatch(/^refused: is a boolean/);
  });

  it('decimal-comma: a decimal comma with dot thousands, chosen explicitly', () => {
    expect(value('decimal-comma', '45,50')).toBe('45.5000');
    expect(value('decimal-comma', '1.234,5')).toBe('1234.5000');
    expect(value('decimal-comma', '1.234')).toBe('1234.0000');
    expect(value('decimal-comma', '12')).toBe('12.0000');
    expect(value('decimal-comma', '€ 3,99')).toBe('3.9900');
    expect(value('decimal-comma', '3,99 €')).toBe('3.9900');
    expect(value('decimal-comma', '-0,125')).toBe('-0.1250');
    expect(value('decimal-comma', 7.25)).toBe('7.2500');
    expect(value('decimal-comma', '1,234.50')).toMatch(/^refused: .*decimal comma/);
    expect(value('decimal-comma', '12.34')).toMatch(/^refused: .*decimal comma/);
  });
});
