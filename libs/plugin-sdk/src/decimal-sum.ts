import type { DecimalString } from './contract/normalized-call.js';

const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/**
 * Adds money amounts exactly (integers of 1/10000, never floating point). Accepts what
 * readDecimal produces ("12.5000") and shorter fractions ("12.5"); undefined values are skipped;
 * the result always has 4 places ("0.0000" when nothing was added). Throws RangeError on text
 * that is not an amount, so a report never silently drops money.
 */
export function sumDecimals(values: Iterable<DecimalString | undefined>): DecimalString {
  let total = 0n;
  for (const value of values) if (value !== undefined) total += toUnits(value);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  return `${negative ? '-' : ''}${abs / FACTOR}.${(abs % FACTOR).toString().padStart(SCALE, '0')}`;
}

/** sumDecimals over its arguments. */
export function addDecimals(...values: Array<DecimalString | undefined>): DecimalString {
  return sumDecimals(values);
}

function toUnits(value: DecimalString): bigint {
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match || (!match[2] && !match[3])) throw new RangeError(`not a decimal amount: ${value}`);
  const [, sign, whole = '', fraction = ''] = match;
  if (fraction.length > SCALE && /[1-9]/.test(fraction.slice(SCALE))) {
    throw new RangeError(`more than ${SCALE} decimal places: ${value}`);
  }
  const units = BigInt(whole || '0') * FACTOR + BigInt((fraction + '0'.repeat(SCALE)).slice(0, SCALE));
  return sign ? -units : units;
}
