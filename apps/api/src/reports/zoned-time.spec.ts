import { isKnownTimeZone, zonedMidnight } from './zoned-time.js';

describe('zonedMidnight', () => {
  it('is local midnight in the zone, DST included', () => {
    expect(zonedMidnight('2024-01-15', 'America/New_York').toISOString()).toBe('2024-01-15T05:00:00.000Z');
    expect(zonedMidnight('2024-07-15', 'America/New_York').toISOString()).toBe('2024-07-15T04:00:00.000Z');
    expect(zonedMidnight('2024-03-10', 'America/New_York').toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(zonedMidnight('2024-03-11', 'America/New_York').toISOString()).toBe('2024-03-11T04:00:00.000Z');
    expect(zonedMidnight('2024-06-01', 'Asia/Kolkata').toISOString()).toBe('2024-05-31T18:30:00.000Z');
    expect(zonedMidnight('2024-06-01', 'UTC').toISOString()).toBe('2024-06-01T00:00:00.000Z');
  });

  it('knows IANA names and refuses others', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
