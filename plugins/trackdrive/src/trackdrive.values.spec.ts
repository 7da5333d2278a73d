import { ceilToSecond, floorToSecond, formatTrackDriveDate } from './trackdrive.dates.js';

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
