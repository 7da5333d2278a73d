import type { PluginManifest } from '@switchboard/core';
import { checkApiBaseUrl } from './api-base-url.policy.js';
import { ConnectionError } from './connection-errors.js';

/** Smallest sync interval a connection may ask for: more often would only spend its provider's rate limit. */
export const MIN_SYNC_INTERVAL_SECONDS = 10;

const refuse = (field: string, message: string): never => {
  throw new ConnectionError('invalid_settings', `${field} ${message}`, { field });
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function wholeNumber(value: unknown, field: string, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    refuse(field, `must be a whole number from ${min} to ${max}`);
  }
}

/**
 * The platform's own keys of a connection's settings, checked when they are set (the sync engine
 * and the mappers would otherwise ignore a bad value silently): `timeZone` (an IANA zone, for
 * zone-less provider times), `sync` (`intervalSeconds`, `lookbackSeconds`, `batchSize`,
 * `enabled`) and `rateLimits` (`requestsPerSecond`, `requestsPerMinute`, `requestsPerHour`,
 * `requestsPerDay` — 0 turns that window off — and `maxConcurrency`).
 * Throws ConnectionError `invalid_settings` (the API's 400) naming the field.
 */
export function checkPlatformSettings(settings: Record<string, unknown> | undefined): void {
  if (!settings) return;
  if (settings.timeZone !== undefined) {
    const zone = settings.timeZone;
    let valid = typeof zone === 'string' && zone.length > 0;
    try {
      if (valid) new Intl.DateTimeFormat('en-US', { timeZone: zone as string });
    } catch {
      valid = false;
    }
    if (!valid) refuse('settings.timeZone', 'must be an IANA time zone such as "America/New_York" or "UTC"');
  }
  if (settings.sync !== undefined) {
    if (!isObject(settings.sync)) refuse('settings.sync', 'must be an object');
    const sync = settings.sync as Record<string, unknown>;
    wholeNumber(
      sync.intervalSeconds,
      'settings.sync.intervalSeconds',
      MIN_SYNC_INTERVAL_SECONDS,
      31 * 86_400,
    );
    wholeNumber(sync.lookbackSeconds, 'settings.sync.lookbackSeconds', 0, 366 * 86_400);
    wholeNumber(sync.batchSize, 'settings.sync.batchSize', 1, 10_000);
    if (sync.enabled !== undefined && typeof sync.enabled !== 'boolean') {
      refuse('settings.sync.enabled', 'must be true or false');
    }
  }
  if (settings.rateLimits !== undefined) {
    if (!isObject(settings.rateLimits)) refuse('settings.rateLimits', 'must be an object');
    const limits = settings.rateLimits as Record<string, unknown>;
    // 0 turns that window's limit off for this connection (the plugin's default included).
    wholeNumber(limits.requestsPerSecond, 'settings.rateLimits.requestsPerSecond', 0, 100_000);
    wholeNumber(limits.requestsPerMinute, 'settings.rateLimits.requestsPerMinute', 0, 6_000_000);
    wholeNumber(limits.requestsPerHour, 'settings.rateLimits.requestsPerHour', 0, 360_000_000);
    wholeNumber(limits.requestsPerDay, 'settings.rateLimits.requestsPerDay', 0, 8_640_000_000);
    wholeNumber(limits.maxConcurrency, 'settings.rateLimits.maxConcurrency', 1, 1_000);
  }
}

/**
 * The plugin's own keys of a connection's settings, checked by the plugin's `validateSettings`
 * when it has one (the generic webhook plugin's mapping). Throws ConnectionError `invalid_settings`
 * naming the first problem's field, with every problem in `details.problems`.
 */
export function checkPluginSettings(
  settings: Record<string, unknown> | undefined,
  manifest: Pick<PluginManifest, 'validateSettings'>,
): void {
  const problems = manifest.validateSettings?.(settings ?? {}) ?? [];
  if (problems.length === 0) return;
  const [first] = problems;
  throw new ConnectionError('invalid_settings', `${first.field} ${first.message}`, {
    field: first.field,
    problems,
  });
}

/**
 * Every check of a connection's settings, for create and update whatever the caller (API, CLI):
 * the platform's keys, where the provider's API may be, and the plugin's own keys.
 */
export function checkConnectionSettings(
  settings: Record<string, unknown> | undefined,
  manifest: PluginManifest,
  allowCustomApiBaseUrls: boolean,
): void {
  checkPlatformSettings(settings);
  checkApiBaseUrl(settings, manifest, allowCustomApiBaseUrls);
  checkPluginSettings(settings, manifest);
}
