import { parseTimeAs, type TimeReading } from './time-formats.js';

const at = (reading: Partial<TimeReading>, raw: unknown) => {
  const parsed = parseTimeAs({ format: 'iso8601', timeZone: 'UTC', dateOrder: 'YMD', ...reading }, raw);
  return parsed === undefined
    ? undefined
    : parsed.ok
      ? parsed.value.toISOString()
      : `refused: ${parsed.reason}`;
};

describe('time formats', () => {
  it('iso8601: with a zone, or read in the connection zone without one; numbers refused', () => {
    expect(at({}, '2026-05-01T10:00:00Z')).toBe('2026-05-01T10:00:00.000Z');
    expect(at({}, '2026-05-01T10:00:00.250+02:00')).toBe('2026-05-01T08:00:00.250Z');
    expect(at({ timeZone: 'America/New_York' }, '2026-05-01T10:00:00')).toBe('2026-05-01T14:00:00.000Z');
    expect(at({}, 1777629600)).toBe('refused: is a number, not an ISO 8601 time');
    expect(at({}, '1777629600')).toBe('refused: is a number, not an ISO 8601 time');
    expect(at({}, '2026-02-30T10:00:00Z')).toMatch(/^refused: .*calendar/);
    expect(at({}, '')).toBeUndefined();
  });

  it('unix seconds and milliseconds, as numbers or digit strings; the wrong unit is out of range', () => {
    expect(at({ format: 'unix-seconds' }, 1777629600)).toBe('2026-05-01T10:00:00.000Z');
    expect(at({ format: 'unix-seconds' }, '1777629600.5')).toBe('2026-05-01T10:00:00.500Z');
    expect(at({ format: 'unix-milliseconds' }, '1777629600250')).toBe('2026-05-01T10:00:00.250Z');
    expect(at({ format: 'unix-milliseconds' }, 1777629600)).toMatch(/^refused: .*1990-2199/);
    expect(at({ format: 'unix-seconds' }, 1777629600250)).toMatch(/^refused: .*1990-2199/);
    expect(at({ format: 'unix-seconds' }, '2026-05-01')).toMatch(/^refused: is not a number of seconds/);
  });

  it('local: wall-clock time in the connection zone, in the chosen date order', () => {
    const ny = { format: 'local' as const, timeZone: 'America/New_York' };
    expect(at(ny, '2026-05-01 10:00:00')).toBe('2026-05-01T14:00:00.000Z');
    expect(at(ny, '2026-05-01T10:00')).toBe('2026-05-01T14:00:00.000Z');
    expect(at({ ...ny, dateOrder: 'MDY' }, '05/01/2026 10:00 PM')).toBe('2026-05-02T02:00:00.000Z');
    expect(at({ ...ny, dateOrder: 'MDY' }, '5/1/2026 12:05 am')).toBe('2026-05-01T04:05:00.000Z');
    expect(at({ ...ny, dateOrder: 'DMY' }, '01.05.2026 10:00:30')).toBe('2026-05-01T14:00:30.000Z');
    expect(at({ ...ny, dateOrder: 'DMY' }, '01.05.2026')).toBe('2026-05-01T04:00:00.000Z');
    // Winter: five hours behind.
    expect(at(ny, '2026-01-15 10:00:00')).toBe('2026-01-15T15:00:00.000Z');
  });

  it('local: refuses zones, other orders, bad hours and non-text', () => {
    const local = { format: 'local' as const };
    expect(at(local, '2026-05-01T10:00:00Z')).toMatch(/^refused: .*zone/);
    expect(at({ ...local, dateOrder: 'MDY' }, '2026-05-01 10:00')).toMatch(/^refused: is not a MDY date/);
    expect(at({ ...local, dateOrder: 'MDY' }, '13/01/2026 10:00')).toMatch(/^refused: .*calendar/);
    expect(at(local, '2026-05-01 13:00 PM')).toMatch(/^refused: .*AM\/PM/);
    expect(at(local, 1777629600)).toMatch(/^refused: .*text/);
  });
});
