import { MappingError } from '@switchboard/core';

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
  if (typeof value === 'boolean') return value;
  const text = readString(value)?.toLowerCase();
  if (text === undefined) return undefined;
  if (['true', '1', 'yes', 'y', 't'].includes(text)) return true;
  if (['false', '0', 'no', 'n', 'f'].includes(text)) return false;
  return undefined;
}

/**
 * Money as a decimal string with 4 places, computed without floating point so "0.1" stays
 * "0.1000". Accepts "$1,234.5" and numbers.
 */
export function readDecimal(value: unknown): string | undefined {
  const text = readString(value)?.replace(/[$,\s]/g, '');
  if (text === undefined) return undefined;
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (!match[2] && !match[3])) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const digits = (fraction + '0000').slice(0, 4);
  return `${sign ?? ''}${whole || '0'}.${digits}`;
}

/**
 * A date from epoch milliseconds (Ringba), epoch seconds, or an ISO / RFC 3339 string with or
 * without an offset. Strings without a zone are read as UTC.
 */
export function readDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,13}$/.test(value.trim()))) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return undefined;
    return new Date(n < 1e11 ? n * 1000 : n);
  }
  const text = readString(value);
  if (text === undefined) return undefined;
  // "2016-01-01 12:25:15 -0500" (TrackDrive) -> ISO
  const normalized = text
    .replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)/, '$1T$2')
    .replace(/\s*([+-]\d{2}):?(\d{2})$/, '$1:$2')
    .replace(/ UTC$/, 'Z');
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/i.test(normalized);
  const date = new Date(hasZone || !/T/.test(normalized) ? normalized : `${normalized}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
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
