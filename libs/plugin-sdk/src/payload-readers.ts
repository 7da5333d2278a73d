import type { MappingWarning } from './contract/normalized-call.js';
import { MappingError } from './errors/provider-error.js';

/**
 * Small readers for loosely typed provider payloads. Webhook bodies built from URL templates
 * arrive as strings ("12.50", "1718000000000", "true", "" for an empty token), API records as
 * proper JSON types; these accept both and treat empty or unreplaced tokens as absent.
 */

/** A template token the provider did not replace ("[tag:Foo:Bar]", "[call_uuid]", "{payout}"). */
export function isUnreplacedToken(value: string): boolean {
  return /^\s*[[{][^\]}]*[\]}]\s*$/.test(value);
}

export function readString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed || isUnreplacedToken(trimmed)) return undefined;
  return trimmed;
}

export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const text = readString(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function readInteger(value: unknown): number | undefined {
  const n = readNumber(value);
  return n === undefined ? undefined : Math.round(n);
}

export function readBoolean(value: unknown): boolean | undefined {
  const parsed = parseBoolean(value);
  return parsed?.ok ? parsed.value : undefined;
}

/**
 * What a strict reader made of a value: undefined = absent (null, empty, an unreplaced token);
 * `ok: false` = present but unusable, with the reason (the caller turns it into a MappingWarning).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string } | undefined;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Values of these types are never text a reader could use. */
function wrongType(value: unknown, what: string): Parsed<never> {
  const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
  return bad(`is ${kind}, not ${what}`);
}

export function parseBoolean(value: unknown): Parsed<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'number') {
    if (value === 1 || value === 0) return ok(value === 1);
    return bad('is a number other than 0 or 1, not a yes/no value');
  }
  if (typeof value !== 'string')
    return value === undefined || value === null ? undefined : wrongType(value, 'a yes/no value');
  const text = readString(value)?.toLowerCase();
  if (text === undefined) return undefined;
  if (['true', '1', 'yes', 'y', 't'].includes(text)) return ok(true);
  if (['false', '0', 'no', 'n', 'f'].includes(text)) return ok(false);
  return bad('is not a yes/no value (true/false, 1/0, yes/no)');
}

/** Money scale: 4 places, as stored (numeric(14,4)). */
const MONEY_PLACES = 4;
/** numeric(14,4) holds at most 10 integer digits. */
const MONEY_INTEGER_DIGITS = 10;

/**
 * Money, exactly (no floating point ever touches the digits). Rules:
 * - a number or a decimal string with a dot: "12.5", "-3", "$1,234.50" ("$" and spaces dropped);
 * - thousands commas only in groups of three AND followed by a dot fraction ("1,234.50"); a comma
 *   that could be a decimal comma ("45,50", "1,234") is refused, never guessed;
 * - exponent notation ("1.5e2") is expanded exactly;
 * - more than 4 decimal places round half-to-even ("1.99999" -> "2.0000", "0.00005" -> "0.0000");
 * - more than 10 integer digits (what the column holds) is refused.
 * Booleans, objects and other text are refused. The result always has 4 places.
 */
export function parseMoney(value: unknown): Parsed<string> {
  let text: string | undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return bad('is not a finite number');
    text = String(value);
  } else if (typeof value === 'string') {
    text = readString(value);
    if (text === undefined) return undefined;
  } else {
    return value === undefined || value === null ? undefined : wrongType(value, 'an amount');
  }
  let body = text.replace(/\s+/g, '');
  let sign = '';
  if (/^[+-]/.test(body)) {
    sign = body[0] === '-' ? '-' : '';
    body = body.slice(1);
  }
  body = body.replace(/^\$/, '');
  if (body.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+\.\d+$/.test(body)) {
      return bad('has a comma that may be a decimal comma or a thousands separator; send "1234.50"');
    }
    body = body.replace(/,/g, '');
  }
  const match = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,3}))?$/i.exec(body);
  if (!match || (!match[1] && !match[2])) return bad('is not a decimal amount');
  const [, whole = '', fraction = '', exponent] = match;
  // All digits, and where the decimal point falls in them once the exponent is applied.
  let digits = whole + fraction;
  let point = whole.length + (exponent ? Number(exponent) : 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const rest = digits.slice(point);
  const rounded = roundHalfEven(integer, rest, MONEY_PLACES);
  if (rounded.integer.replace(/^0+(?=\d)/, '').length > MONEY_INTEGER_DIGITS) {
    return bad(`has more than ${MONEY_INTEGER_DIGITS} integer digits`);
  }
  const isZero = /^0+$/.test(rounded.integer + rounded.fraction);
  return ok(`${isZero ? '' : sign}${rounded.integer}.${rounded.fraction}`);
}

/** Rounds integer.fraction to `places` decimal places, half to even, on the digit strings. */
function roundHalfEven(integer: string, fraction: string, places: number) {
  const kept = (fraction + '0'.repeat(places)).slice(0, places);
  const dropped = fraction.slice(places);
  let units = BigInt(integer + kept);
  if (dropped.length > 0) {
    const first = Number(dropped[0]);
    const tail = /[1-9]/.test(dropped.slice(1));
    if (first > 5 || (first === 5 && (tail || units % 2n === 1n))) units += 1n;
  }
  const text = units.toString().padStart(places + 1, '0');
  return { integer: text.slice(0, -places), fraction: text.slice(-places) };
}

/** Money as a decimal string with 4 places (parseMoney's rules); undefined when absent or unusable. */
export function readDecimal(value: unknown): string | undefined {
  const parsed = parseMoney(value);
  return parsed?.ok ? parsed.value : undefined;
}

/** The largest value an integer column holds. */
const MAX_INT = 2_147_483_647;

/**
 * A duration in whole seconds: a non-negative number (fractions round to the nearest second).
 * Negative values, text and values beyond the column's range are refused.
 */
export function parseDuration(value: unknown): Parsed<number> {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const text = readString(value);
    if (text === undefined) return undefined;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return bad('is not a number of seconds');
    n = Number(text);
  } else return value === undefined || value === null ? undefined : wrongType(value, 'a number of seconds');
  if (!Number.isFinite(n)) return bad('is not a finite number');
  if (n < 0) return bad('is negative');
  const rounded = Math.round(n);
  if (rounded > MAX_INT) return bad('is too large');
  return ok(rounded);
}

/** A non-negative whole number of seconds (parseDuration); undefined when absent or unusable. */
export function readDuration(value: unknown): number | undefined {
  const parsed = parseDuration(value);
  return parsed?.ok ? parsed.value : undefined;
}

/**
 * An http(s) URL (recordings and the like); anything else ("javascript:", "data:", "ftp:",
 * relative paths) is refused, because it ends up as a link in front of an operator.
 */
export function parseHttpUrl(value: unknown): Parsed<string> {
  if (typeof value !== 'string')
    return value === undefined || value === null ? undefined : wrongType(value, 'a URL');
  const text = readString(value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('is not an http(s) URL');
  if (/\s/.test(text)) return bad('contains spaces');
  return ok(text);
}

export function readHttpUrl(value: unknown): string | undefined {
  const parsed = parseHttpUrl(value);
  return parsed?.ok ? parsed.value : undefined;
}

/** Earliest and latest instants a provider date may name (anything else is a unit or data error). */
const MIN_DATE_MS = Date.UTC(1990, 0, 1);
const MAX_DATE_MS = Date.UTC(2200, 0, 1);

const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A date from epoch milliseconds (Ringba), epoch seconds (numbers below 1e11), or an ISO / RFC
 * 3339-like string ("2026-05-01T10:00:00Z", "2016-01-01 12:25:15 -0500", "2026-05-01 10:00:00 UTC").
 * A string without a zone is a wall-clock time in `timeZone` (an IANA name, the connection's
 * provider time zone; default UTC), never in the server's zone. Dates before 1990 or after 2199
 * are refused as unit errors.
 */
export function parseDate(value: unknown, timeZone = 'UTC'): Parsed<Date> {
  if (value instanceof Date) return checkRange(value.getTime());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return bad('is not a finite number');
    return checkRange(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string')
    return value === undefined || value === null ? undefined : wrongType(value, 'a date');
  const text = readString(value);
  if (text === undefined) return undefined;
  if (/^\d{9,13}$/.test(text)) {
    const n = Number(text);
    return checkRange(n < 1e11 ? n * 1000 : n);
  }
  const m = ISO_LIKE.exec(text);
  if (!m) return bad('is not a date Switchboard reads (ISO 8601, "YYYY-MM-DD HH:MM:SS [zone]", or epoch)');
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  const check = new Date(wall);
  if (
    Number.isNaN(wall) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(sec) > 59
  ) {
    return bad('is not a valid calendar date and time');
  }
  if (zone) return checkRange(wall - zoneOffsetMs(zone));
  const utc = wallTimeToUtc(wall, timeZone);
  return utc === undefined ? bad(`has no zone and the time zone "${timeZone}" is unknown`) : checkRange(utc);
}

function checkRange(ms: number): Parsed<Date> {
  if (!Number.isFinite(ms) || ms < MIN_DATE_MS || ms >= MAX_DATE_MS) return bad('is outside 1990-2199');
  return ok(new Date(ms));
}

/** "Z", "UTC", "+05:30", "-0500", "+02" as milliseconds east of UTC. */
function zoneOffsetMs(zone: string): number {
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) as RegExpExecArray;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = zoneFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    zoneFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone name this runtime knows ("America/New_York", "UTC"). */
export function isTimeZone(timeZone: unknown): timeZone is string {
  return typeof timeZone === 'string' && timeZone.length > 0 && formatterFor(timeZone) !== null;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds. */
function offsetAt(formatter: Intl.DateTimeFormat, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of a wall-clock time in `timeZone`. Two passes settle the offset around DST
 * changes; a wall time skipped by a spring-forward reads with the offset before the change.
 */
function wallTimeToUtc(wallMs: number, timeZone: string): number | undefined {
  if (/^(utc|etc\/utc|gmt|z)$/i.test(timeZone)) return wallMs;
  const formatter = formatterFor(timeZone);
  if (!formatter) return undefined;
  const first = wallMs - offsetAt(formatter, wallMs);
  const second = wallMs - offsetAt(formatter, first);
  return second;
}

/** A date (parseDate's rules, zone-less strings read as UTC); undefined when absent or unusable. */
export function readDate(value: unknown, timeZone = 'UTC'): Date | undefined {
  const parsed = parseDate(value, timeZone);
  return parsed?.ok ? parsed.value : undefined;
}

/** Longest raw value a warning keeps. */
const WARNING_VALUE_MAX = 80;

/** A raw value as short text for a warning. */
export function warningValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > WARNING_VALUE_MAX ? `${text.slice(0, WARNING_VALUE_MAX - 1)}…` : text;
}

export interface PayloadReaderOptions {
  /** IANA zone zone-less dates are read in (the connection's `settings.timeZone`); default UTC. */
  timeZone?: string;
}

/**
 * Strict readers that remember what they refused: a value present but unusable is never dropped
 * silently, it becomes a MappingWarning {field, source, reason, value} the mapper puts on the
 * event. One reader per mapped payload.
 */
export class PayloadReader {
  readonly warnings: MappingWarning[] = [];
  readonly timeZone: string;

  constructor(options: PayloadReaderOptions = {}) {
    const zone = options.timeZone;
    if (zone === undefined || zone === '') this.timeZone = 'UTC';
    else if (isTimeZone(zone)) this.timeZone = zone;
    else {
      this.timeZone = 'UTC';
      this.warn(
        'timeZone',
        `connection setting timeZone is not an IANA time zone; UTC used`,
        zone,
        'settings.timeZone',
      );
    }
  }

  warn(field: string, reason: string, value: unknown, source?: string): void {
    const warning: MappingWarning = { field, reason, value: warningValue(value) };
    if (source !== undefined && source !== field) warning.source = source;
    this.warnings.push(warning);
  }

  private take<T>(field: string, value: unknown, parsed: Parsed<T>, source?: string): T | undefined {
    if (parsed === undefined) return undefined;
    if (parsed.ok) return parsed.value;
    this.warn(field, `${source ?? field} ${parsed.reason}`, value, source);
    return undefined;
  }

  money(field: string, value: unknown, source?: string): string | undefined {
    return this.take(field, value, parseMoney(value), source);
  }

  date(field: string, value: unknown, source?: string): Date | undefined {
    return this.take(field, value, parseDate(value, this.timeZone), source);
  }

  duration(field: string, value: unknown, source?: string): number | undefined {
    return this.take(field, value, parseDuration(value), source);
  }

  url(field: string, value: unknown, source?: string): string | undefined {
    return this.take(field, value, parseHttpUrl(value), source);
  }

  boolean(field: string, value: unknown, source?: string): boolean | undefined {
    return this.take(field, value, parseBoolean(value), source);
  }

  /** Warnings for the event: undefined when there are none (so events stay unchanged). */
  result(): MappingWarning[] | undefined {
    return this.warnings.length > 0 ? [...this.warnings] : undefined;
  }
}

/** Reads a required field or throws a MappingError naming it. */
export function required<T>(provider: string, field: string, value: T | undefined): T {
  if (value === undefined) throw new MappingError(provider, `payload has no usable "${field}"`, field);
  return value;
}

/** Returns the first value that is not undefined. */
export function firstDefined<T>(...values: Array<T | undefined>): T | undefined {
  return values.find((v) => v !== undefined);
}
