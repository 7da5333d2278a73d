import { ceilToSecond, floorToSecond, formatTrackDriveDate } from './trackdrive.dates.js';
import { addDecimals, decimalToUnits, unitsToDecimal } from './trackdrive.decimal.js';

describe('TrackDrive dates', () => {
  it('formats filter dates like "2016-01-01 12:25:15 -0500", in UTC', () => {
    expect(formatTrackDriveDate(new Date('2016-01-01T17:25:15.999Z'))).toBe('2016-01-01 17:25:15 +0000');
    expect(formatTrackDriveDate(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31 23:59:59 +0000');
  });

  it('rounds to whole seconds in the wanted direction', () => {
    const date = new Date('2026-01-15T12:00:00.400Z');
    expect(floorToSecond(date).toISOString()).toBe('2026-01-15T12:00:00.000Z');
    expect(ceilToSecond(date).toISOString()).toBe('2026-01-15T12:00:01.000Z');
    expect(ceilToSecond(new Date('2026-01-15T12:00:00Z')).toISOString()).toBe('2026-01-15T12:00:00.000Z');
  });
});

describe('decimal sums', () => {
  it('adds 4-place decimals exactly', () => {
    expect(addDecimals('0.1000', '0.2000')).toBe('0.3000');
    expect(addDecimals('42.5000', undefined, '-50.0001')).toBe('-7.5001');
    expect(addDecimals(undefined, undefined)).toBeUndefined();
    expect(addDecimals('99999999999999.9999', '0.0001')).toBe('100000000000000.0000');
  });

  it('converts between units and strings', () => {
    expect(decimalToUnits('-0.0500')).toBe(-500n);
    expect(unitsToDecimal(-500n)).toBe('-0.0500');
    expect(unitsToDecimal(7n)).toBe('0.0007');
    expect(() => decimalToUnits('1.5')).toThrow(RangeError);
  });
});
