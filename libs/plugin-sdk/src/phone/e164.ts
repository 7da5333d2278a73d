import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Normalizes a phone number as providers send it ("+1 (555) 010-2000", "15550102000",
 * "5550102000") to E.164. Returns undefined for values that are not phone numbers
 * (anonymous callers, "Restricted", empty strings) rather than throwing: a missing caller id
 * is a normal call.
 */
export function toE164(value: unknown, defaultCountry: CountryCode = 'US'): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const raw = String(value).trim();
  if (!raw) return undefined;
  // Parsing is the costliest step of mapping a webhook, and the same numbers (tracking numbers,
  // buyers, repeat callers) come back all day: remember recent answers, within a bounded map.
  const key = `${defaultCountry}|${raw}`;
  if (recent.has(key)) return recent.get(key);
  if (recent.size >= RECENT_MAX) recent.clear();
  const result = parse(raw, defaultCountry);
  recent.set(key, result);
  return result;
}

const RECENT_MAX = 20_000;
const recent = new Map<string, string | undefined>();

function parse(raw: string, defaultCountry: CountryCode): string | undefined {
  const digits = raw.replace(/[^\d+]/g, '');
  if (digits.replace(/\+/g, '').length < 7) return undefined;
  // NANP numbers often arrive as 11 digits without the plus.
  const candidate =
    !digits.startsWith('+') && digits.length === 11 && digits.startsWith('1') ? `+${digits}` : raw;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
  return parsed?.isPossible() ? parsed.number : undefined;
}
