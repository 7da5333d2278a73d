import { createHash } from 'node:crypto';
import { readString } from './payload-readers.js';
import { RecentAnswers } from './recent-answers.js';

/**
 * Helpers for reading user-shaped payloads: providers let operators name the fields of a webhook
 * themselves, so the same value arrives as `inboundCallId`, `inbound_call_id`, `InboundCallId` or
 * `Call:InboundCallId`. Keys are compared in a normalized form (lower case, letters and digits
 * only), so one alias list covers camelCase, snake_case, PascalCase and token-shaped names.
 */
export function normalizeKey(key: string): string {
  // Called for every payload key and every alias looked up, from a small vocabulary.
  return normalizedKeys.get(key, (k) => k.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

const normalizedKeys = new RecentAnswers<string>(5_000);

/**
 * Payload keys whose values are secrets: the webhook token and API credentials (the same names
 * the ingress strips from query strings, see SECRET_QUERY_PARAMS in @switchboard/logging) plus
 * provider keys that grant access (Retreaver's `call_key` lets its holder update the call).
 * Compared normalized, so `api_key`, `apiKey` and `API-KEY` all match.
 */
export const SECRET_PAYLOAD_KEYS: readonly string[] = [
  'token',
  'api_key',
  'apikey',
  'auth_token',
  'access_token',
  'secret',
  'key',
  'signature',
  'password',
  'private_key',
  'client_secret',
  'webhook_secret',
  'call_key',
  'x-switchboard-token',
];

const SECRET_NORMALIZED = new Set(SECRET_PAYLOAD_KEYS.map(normalizeKey));

/**
 * Names that end like a credential whatever the sender called them (`lead_token`, `apiKey`,
 * `webhookSecret`, `db-password`). Only the end of the name counts, so `token_values` (TrackDrive's
 * custom fields) or `keys_pressed` (Retreaver) stay data.
 */
const SECRET_LOOKING_END =
  /(token|secret|passw(or)?d|pwd|apikey|accesskey|privatekey|signature|credentials?|cookie|authorization)$/;

export function isSecretKey(key: string): boolean {
  const normalized = normalizeKey(key);
  return SECRET_NORMALIZED.has(normalized) || SECRET_LOOKING_END.test(normalized);
}

/** Whether a secret key occurs anywhere in the value (objects inside arrays included). */
export function hasSecretKeys(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSecretKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  return Object.entries(value as Record<string, unknown>).some(
    ([k, v]) => isSecretKey(k) || hasSecretKeys(v),
  );
}

/**
 * A copy without secret keys, at any depth (objects inside arrays included); the value itself when
 * it has none (so an API record stays the provider's object, untouched).
 */
export function withoutSecretKeys<T>(value: T): T {
  return hasSecretKeys(value) ? stripSecretKeys(value) : value;
}

function stripSecretKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => stripSecretKeys(item)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!isSecretKey(key)) out[key] = stripSecretKeys(item);
  }
  return out as T;
}

/** A field found in a payload: the key as sent and its value. */
export interface FoundField {
  key: string;
  value: unknown;
}

/**
 * Looks fields up by alias in a flat payload. The first alias (in order) whose key is present with
 * a value that is not empty wins; `used` remembers which keys were read, so what is left can become
 * tags.
 */
export class FieldLookup {
  private readonly byKey = new Map<string, FoundField>();
  readonly used = new Set<string>();

  constructor(readonly params: Readonly<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(params)) {
      const normalized = normalizeKey(key);
      // An exact repeat in another spelling keeps the first key that has a value.
      if (!this.byKey.has(normalized) || isAbsent(this.byKey.get(normalized)?.value)) {
        this.byKey.set(normalized, { key, value });
      }
    }
  }

  find(aliases: readonly string[]): FoundField | undefined {
    for (const alias of aliases) {
      const found = this.byKey.get(normalizeKey(alias));
      if (found && !isAbsent(found.value)) {
        this.used.add(found.key);
        return found;
      }
    }
    return undefined;
  }

  /** The first alias's value as text (absent values and unreplaced tokens skipped). */
  string(aliases: readonly string[]): string | undefined {
    const found = this.find(aliases);
    return found === undefined ? undefined : readString(found.value);
  }

  /** Marks keys as read (control parameters) so they do not become tags. */
  consume(aliases: readonly string[]): void {
    for (const alias of aliases) {
      const found = this.byKey.get(normalizeKey(alias));
      if (found) this.used.add(found.key);
    }
  }

  /** Scalar values of keys nobody read, as text (secret keys never). */
  leftovers(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.params)) {
      if (this.used.has(key) || isSecretKey(key)) continue;
      if (typeof value === 'object' && value !== null) continue;
      const text = readString(value);
      if (text !== undefined) out[key] = text;
    }
    return out;
  }
}

/** Null, undefined, an empty string or an unreplaced token: the sender had nothing to put there. */
function isAbsent(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return readString(value) === undefined;
  return false;
}

/**
 * A short stable hash of a payload's content (keys sorted, secret keys left out): the same
 * delivery always gives the same value, a payload that says something else gives another. Used
 * for event ids when the provider sends none and the trigger had to be inferred.
 */
export function payloadFingerprint(
  params: Readonly<Record<string, unknown>>,
  ignore: readonly string[] = [],
): string {
  const skip = new Set(ignore.map(normalizeKey));
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== 'object') return value;
    return Object.keys(value as Record<string, unknown>)
      .filter((k) => !isSecretKey(k) && !skip.has(normalizeKey(k)))
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]);
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(params)))
    .digest('hex')
    .slice(0, 16);
}
