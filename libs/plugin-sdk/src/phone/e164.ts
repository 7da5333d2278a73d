import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { RecentAnswers } from '../recent-answers.js';

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
  return recent.get(`${defaultCountry}|${raw}`, () => parse(raw, defaultCountry));
}

const recent = new RecentAnswers<string | undefined>(20_000);

function parse(raw: string, defaultCountry: CountryCode): string | undefined {
  const digits = raw.replace(/[^\d+]/g, '');
  if (digits.replace(/\+/g, '').length < 7) return undefined;
  // NANP numbers often arrive as 11 digits without the plus.
  const candidate =
    !digits.startsWith('+') && digits.length === 11 && digits.startsWith('1') ? `+${digits}` : raw;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
  return parsed?.isPossible() ? parsed.number : undefined;
}
