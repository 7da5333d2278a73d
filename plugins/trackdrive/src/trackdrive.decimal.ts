import type { DecimalString } from '@switchboard/plugin-sdk';

/**
 * Sums of money without floating point: readDecimal gives "12.3400" (4 places); we add them as
 * integers of 1/10000.
 */
const SCALE = 4;

export function decimalToUnits(value: DecimalString): bigint {
  const match = /^(-)?(\d+)\.(\d{4})$/.exec(value);
  if (!match) throw new RangeError(`not a 4-place decimal: ${value}`);
  const units = BigInt(match[2] + match[3]);
  return match[1] ? -units : units;
}

export function unitsToDecimal(units: bigint): DecimalString {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(SCALE + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`;
}

export function addDecimals(...values: Array<DecimalString | undefined>): DecimalString | undefined {
  const present = values.filter((v): v is DecimalString => v !== undefined);
  if (present.length === 0) return undefined;
  return unitsToDecimal(present.reduce((sum, v) => sum + decimalToUnits(v), 0n));
}
