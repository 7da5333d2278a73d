import { parseDate, readString, type Parsed } from '@switchboard/plugin-sdk';

/**
 * How a sender writes times, chosen per connection:
 * - `iso8601`: "2026-05-01T10:00:00Z", "2026-05-01T10:00:00.250+02:00" (a value without a zone is
 *   read in the connection's `timeZone`, as every plugin does);
 * - `unix-seconds` / `unix-milliseconds`: a number or digit string since 1970 (fractions allowed);
 * - `local`: a wall-clock time without a zone, read in the connection's `timeZone`, with the date in
 *   `dateOrder` (`YMD` "2026-05-01 10:00:00", `MDY` "05/01/2026 10:00 AM", `DMY` "01.05.2026 10:00").
 */
export const TIME_FORMATS = ['iso8601', 'unix-seconds', 'unix-milliseconds', 'local'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export const DATE_ORDERS = ['YMD', 'MDY', 'DMY'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

export function isTimeFormat(value: unknown): value is TimeFormat {
  return typeof value === 'string' && (TIME_FORMATS as readonly string[]).includes(value);
}

export function isDateOrder(value: unknown): value is DateOrder {
  return typeof value === 'string' && (DATE_ORDERS as readonly string[]).includes(value);
}

export interface TimeReading {
  format: TimeFormat;
  /** IANA zone for zone-less values (the connection's `timeZone`, already checked). */
  timeZone: string;
  dateOrder: DateOrder;
}

/** A time in the configured format; range and calendar checks are the SDK's parseDate. */
export function parseTimeAs(reading: TimeReading, value: unknown): Parsed<Date> {
  switch (reading.format) {
    case 'iso8601':
      return parseIso(value, reading.timeZone);
    case 'unix-seconds':
      return parseEpoch(value, 1000);
    case 'unix-milliseconds':
      return parseEpoch(value, 1);
    case 'local':
      return parseLocal(value, reading);
  }
}

function parseIso(value: unknown, timeZone: string): Parsed<Date> {
  if (typeof value === 'number') return { ok: false, reason: 'is a number, not an ISO 8601 time' };
  const text = typeof value === 'string' ? readString(value) : value;
  if (typeof text === 'string' && /^\d+$/.test(text))
    return { ok: false, reason: 'is a number, not an ISO 8601 time' };
  return parseDate(text, timeZone);
}

function parseEpoch(value: unknown, msPerUnit: number): Parsed<Date> {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const text = readString(value);
    if (text === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, reason: 'is not a number of seconds since 1970' };
    n = Number(text);
  } else return parseDate(value);
  if (!Number.isFinite(n)) return { ok: false, reason: 'is not a finite number' };
  // A Date is range-checked by parseDate (1990-2199), which catches seconds sent as milliseconds.
  return parseDate(new Date(Math.round(n * msPerUnit)));
}

const LOCAL_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?$/;

function parseLocal(value: unknown, reading: TimeReading): Parsed<Date> {
  if (typeof value !== 'string') {
    if (value === undefined || value === null) return undefined;
    return { ok: false, reason: 'is not a wall-clock time written as text' };
  }
  const text = readString(value);
  if (text === undefined) return undefined;
  const [datePart, ...timeParts] = text.split(/[T\s]+/);
  const date = readDateParts(datePart, reading.dateOrder);
  if (!date) {
    const example = { YMD: '2026-05-01', MDY: '05/01/2026', DMY: '01.05.2026' }[reading.dateOrder];
    return { ok: false, reason: `is not a ${reading.dateOrder} date and time (${example} 10:00:00)` };
  }
  let time = '00:00:00';
  if (timeParts.length > 0) {
    const m = LOCAL_TIME.exec(timeParts.join(' '));
    if (!m) return { ok: false, reason: 'has a time that is not HH:MM[:SS] [AM/PM], or carries a zone' };
    let hour = Number(m[1]);
    if (m[5]) {
      if (hour < 1 || hour > 12) return { ok: false, reason: 'has an AM/PM hour outside 1-12' };
      hour = (hour % 12) + (/p/i.test(m[5]) ? 12 : 0);
    }
    time = `${pad(hour)}:${m[2]}:${m[3] ?? '00'}${m[4] ? `.${m[4]}` : ''}`;
  }
  // The SDK reads "YYYY-MM-DD HH:MM:SS" in the zone and checks the calendar (no 31 April).
  return parseDate(`${date} ${time}`, reading.timeZone);
}

function readDateParts(text: string, order: DateOrder): string | undefined {
  const parts = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$/.exec(text);
  if (!parts) return undefined;
  const [a, b, c] = [parts[1], parts[2], parts[3]];
  const [year, month, day] = order === 'YMD' ? [a, b, c] : order === 'MDY' ? [c, a, b] : [c, b, a];
  if (year.length !== 4 || month.length > 2 || day.length > 2) return undefined;
  return `${year}-${pad(Number(month))}-${pad(Number(day))}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
