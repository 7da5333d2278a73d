import {
  PayloadReader,
  isTimeZone,
  parseBoolean,
  parseDate,
  parseDuration,
  parseHttpUrl,
  parseMoney,
  readDate,
  readDecimal,
  readDuration,
  readHttpUrl,
  warningValue,
} from './payload-readers.js';

const refused = (parsed: unknown) => (parsed as { ok: boolean } | undefined)?.ok === false;

describe('parseMoney / readDecimal', () => {
  it('keeps exact decimals with 4 places', () => {
    expect(readDecimal('0.1')).toBe('0.1000');
    expect(readDecimal(12.5)).toBe('12.5000');
    expect(readDecimal('$1,234.50')).toBe('1234.5000');
    expect(readDecimal('-3')).toBe('-3.0000');
    expect(readDecimal(' 7 ')).toBe('7.0000');
    expect(readDecimal('.5')).toBe('0.5000');
    expect(readDecimal('1.5e2')).toBe('150.0000');
    expect(readDecimal(1e-7)).toBe('0.0000');
  });

  it('rounds half to even instead of truncating', () => {
    expect(readDecimal('1.99999')).toBe('2.0000');
    expect(readDecimal('1.00005')).toBe('1.0000');
    expect(readDecimal('1.00015')).toBe('1.0002');
    expect(readDecimal('1.000051')).toBe('1.0001');
    expect(readDecimal('-0.00004')).toBe('0.0000');
    expect(readDecimal('9999999999.99995')).toBeUndefined(); // rounds past 10 integer digits
  });

  it('refuses a locale decimal comma or an ambiguous comma instead of guessing', () => {
    expect(readDecimal('45,50')).toBeUndefined();
    expect(refused(parseMoney('45,50'))).toBe(true);
    expect(refused(parseMoney('1,234'))).toBe(true);
    expect(refused(parseMoney('1.234,50'))).toBe(true);
  });

  it('refuses what is not an amount, and says so', () => {
    for (const value of [1e21, '1e21', 'abc', true, {}, [1], Number.NaN, Infinity, '12.5.1', '--1']) {
      expect(refused(parseMoney(value))).toBe(true);
    }
  });

  it('reads empty values and unreplaced tokens as absent', () => {
    for (const value of ['', '  ', null, undefined, '[Call:ConversionAmount]', '{payout}']) {
      expect(parseMoney(value)).toBeUndefined();
    }
  });
});

describe('parseDuration / readDuration', () => {
  it('accepts non-negative seconds, rounding fractions', () => {
    expect(readDuration('68')).toBe(68);
    expect(readDuration(12.4)).toBe(12);
    expect(readDuration('0')).toBe(0);
  });

  it('refuses negatives, text and values beyond the column', () => {
    for (const value of [-5, '-5', 'abc', '1e99', true, 3e9])
      expect(refused(parseDuration(value))).toBe(true);
  });
});

describe('parseHttpUrl', () => {
  it('keeps http(s) URLs only', () => {
    expect(readHttpUrl('https://media.example.com/r/1.mp3')).toBe('https://media.example.com/r/1.mp3');
    for (const value of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://x/y',
      '/relative',
      'not a url',
      42,
    ]) {
      expect(refused(parseHttpUrl(value))).toBe(true);
    }
  });
});

describe('parseBoolean', () => {
  it('refuses values that are not yes/no', () => {
    expect(parseBoolean('yes')).toEqual({ ok: true, value: true });
    expect(refused(parseBoolean('maybe'))).toBe(true);
    expect(refused(parseBoolean(2))).toBe(true);
  });
});

describe('parseDate / readDate', () => {
  it('reads epoch ms, epoch seconds and zoned strings', () => {
    expect(readDate(1_780_000_000_000)?.toISOString()).toBe('2026-05-28T20:26:40.000Z');
    expect(readDate('1780000000')?.toISOString()).toBe('2026-05-28T20:26:40.000Z');
    expect(readDate('2016-01-01 12:25:15 -0500')?.toISOString()).toBe('2016-01-01T17:25:15.000Z');
    expect(readDate('2026-05-01T10:00:00.250+02:00')?.toISOString()).toBe('2026-05-01T08:00:00.250Z');
    expect(readDate('2026-05-01 10:00:00 UTC')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
  });

  it('reads zone-less strings in the given provider time zone, default UTC', () => {
    expect(readDate('2026-05-01 10:00:00')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(readDate('2026-05-01T10:00:00', 'America/New_York')?.toISOString()).toBe(
      '2026-05-01T14:00:00.000Z',
    );
    expect(readDate('2026-01-15 10:00', 'America/New_York')?.toISOString()).toBe('2026-01-15T15:00:00.000Z');
    expect(readDate('2026-07-01 09:30:00', 'Asia/Kolkata')?.toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });

  it('gives the same instant whatever the server time zone', () => {
    const saved = process.env.TZ;
    const seen: Array<string | undefined> = [];
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        seen.push(readDate('2026-05-01 10:00:00')?.toISOString());
        // A format the server would read in its own zone is refused instead of guessed.
        expect(refused(parseDate('05/01/2026 10:00:00'))).toBe(true);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(new Set(seen)).toEqual(new Set(['2026-05-01T10:00:00.000Z']));
  });

  it('refuses impossible dates, unit errors and other types', () => {
    for (const value of ['2026-02-30 10:00:00', '2026-05-01 25:00:00', 'yesterday', -1, 0, true, 1e21]) {
      expect(refused(parseDate(value))).toBe(true);
    }
    expect(refused(parseDate('2026-05-01 10:00', 'Mars/Olympus'))).toBe(true);
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('PayloadReader', () => {
  it('collects a warning for every value present but unusable, with the raw value truncated', () => {
    const reader = new PayloadReader({ timeZone: 'America/Chicago' });
    expect(reader.money('revenue', '45,50', 'conversionAmount')).toBeUndefined();
    expect(reader.duration('durationSeconds', -4, 'callLengthInSeconds')).toBeUndefined();
    expect(reader.url('recordingUrl', 'javascript:alert(1)')).toBeUndefined();
    expect(reader.date('startedAt', '2026-05-01 10:00:00')?.toISOString()).toBe('2026-05-01T15:00:00.000Z');
    expect(reader.money('payout', '')).toBeUndefined();
    expect(reader.result()).toEqual([
      expect.objectContaining({ field: 'revenue', source: 'conversionAmount', value: '45,50' }),
      expect.objectContaining({ field: 'durationSeconds', source: 'callLengthInSeconds', value: '-4' }),
      expect.objectContaining({ field: 'recordingUrl', value: 'javascript:alert(1)' }),
    ]);
    expect(reader.warnings[0].reason).toMatch(/comma/);
    expect(warningValue('x'.repeat(500)).length).toBeLessThanOrEqual(80);
  });

  it('falls back to UTC with a warning for an unknown time zone setting', () => {
    const reader = new PayloadReader({ timeZone: 'Mars/Olympus' });
    expect(reader.date('startedAt', '2026-05-01 10:00:00')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(reader.result()).toEqual([expect.objectContaining({ field: 'timeZone', value: 'Mars/Olympus' })]);
  });

  it('returns no warnings when everything mapped', () => {
    const reader = new PayloadReader();
    reader.money('revenue', '1');
    expect(reader.result()).toBeUndefined();
  });
});
