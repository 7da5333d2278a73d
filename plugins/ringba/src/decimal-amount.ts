import type { DecimalString } from '@switchboard/plugin-sdk';

const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** Sums decimal strings ("12.5000", "-1.2") exactly, without floating point; the result has 4 places. */
export function sumDecimals(values: Iterable<DecimalString | undefined>): DecimalString {
  let total = 0n;
  for (const value of values) if (value !== undefined) total += toUnits(value);
  return fromUnits(total);
}

function toUnits(value: DecimalString): bigint {
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${value}`);
  const [, sign, whole = '', fraction = ''] = match;
  const units = BigInt(whole || '0') * FACTOR + BigInt((fraction + '0'.repeat(SCALE)).slice(0, SCALE));
  return sign ? -units : units;
}

function fromUnits(units: bigint): DecimalString {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const fraction = (abs % FACTOR).toString().padStart(SCALE, '0');
  return `${negative ? '-' : ''}${abs / FACTOR}.${fraction}`;
}
