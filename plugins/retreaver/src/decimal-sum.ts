/**
 * Adds decimal strings of the shape readDecimal produces ("12.5000", "-0.0800") exactly, in
 * ten-thousandths, so report totals never touch floating point.
 */
export function addDecimals(...values: Array<string | undefined>): string {
  let total = 0n;
  for (const value of values) {
    if (value === undefined) continue;
    const match = /^(-)?(\d+)(?:\.(\d{0,4}))?$/.exec(value);
    if (!match) continue;
    const units = BigInt(match[2]) * 10_000n + BigInt((match[3] ?? '').padEnd(4, '0'));
    total += match[1] ? -units : units;
  }
  const negative = total < 0n;
  const abs = negative ? -total : total;
  return `${negative ? '-' : ''}${abs / 10_000n}.${String(abs % 10_000n).padStart(4, '0')}`;
}
