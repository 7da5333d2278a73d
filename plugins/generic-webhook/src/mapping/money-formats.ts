import { parseMoney, readString, type Parsed } from '@switchboard/plugin-sdk';

/**
 * How a sender writes amounts. Chosen per connection, never guessed: "1,234" is a thousand and
 * something in one format and one and a bit in another.
 * - `decimal`: a JSON number or a decimal string with a dot ("12.5", "$1,234.50"), the SDK's rules;
 * - `cents`: whole minor units (1250 or "1250" is 12.50);
 * - `decimal-comma`: a decimal comma with optional dot thousands ("12,50", "1.234,50"); a JSON
 *   number is unambiguous and read as is.
 */
export const MONEY_FORMATS = ['decimal', 'cents', 'decimal-comma'] as const;
export type MoneyFormat = (typeof MONEY_FORMATS)[number];

export function isMoneyFormat(value: unknown): value is MoneyFormat {
  return typeof value === 'string' && (MONEY_FORMATS as readonly string[]).includes(value);
}

/** An amount in `format` as a 4-place decimal string (exact: the SDK's parseMoney does the digits). */
export function parseMoneyAs(format: MoneyFormat, value: unknown): Parsed<string> {
  switch (format) {
    case 'decimal':
      return parseMoney(value);
    case 'cents':
      return parseCents(value);
    case 'decimal-comma':
      return parseDecimalComma(value);
  }
}

function parseCents(value: unknown): Parsed<string> {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return { ok: false, reason: 'is not a whole number of cents' };
    return parseMoney(`${value}e-2`);
  }
  if (typeof value !== 'string') return parseMoney(value);
  const text = readString(value);
  if (text === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, reason: 'is not a whole number of cents' };
  // The exponent moves the point two places, exactly, on the digits.
  return parseMoney(`${text}e-2`);
}

function parseDecimalComma(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return parseMoney(value);
  const text = readString(value);
  if (text === undefined) return undefined;
  // Spaces (also no-break spaces) and a currency sign around the digits carry no value.
  const compact = text.replace(/[\s\u00a0\u202f]+/g, '').replace(/^([+-]?)[€$£]|[€$£]$/g, '$1');
  const match = /^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(compact);
  if (!match) return { ok: false, reason: 'is not an amount with a decimal comma ("1.234,50")' };
  const [, sign, whole, fraction] = match;
  return parseMoney(`${sign}${whole.replace(/\./g, '')}${fraction === undefined ? '' : `.${fraction}`}`);
}
