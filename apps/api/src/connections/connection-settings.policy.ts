import { BadRequestException } from '@nestjs/common';
import type { PluginManifest } from '@switchboard/core';
import { MIN_SYNC_INTERVAL_SECONDS } from '@switchboard/sync';

const refuse = (field: string, message: string): never => {
  throw new BadRequestException({
    error: 'invalid_settings',
    message: `${field} ${message}`,
    details: { field },
  });
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
 * `enabled`) and `rateLimits` (`requestsPerSecond`, `requestsPerMinute`, `maxConcurrency`).
 * Throws a 400 `invalid_settings` naming the field.
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
    wholeNumber(limits.requestsPerSecond, 'settings.rateLimits.requestsPerSecond', 1, 100_000);
    wholeNumber(limits.requestsPerMinute, 'settings.rateLimits.requestsPerMinute', 1, 6_000_000);
    wholeNumber(limits.maxConcurrency, 'settings.rateLimits.maxConcurrency', 1, 1_000);
  }
}

/**
 * The plugin's own keys of a connection's settings, checked by the plugin's `validateSettings`
 * when it has one (the generic webhook plugin's mapping). Throws a 400 `invalid_settings` naming
 * the first problem's field, with every problem in `details.problems`.
 */
export function checkPluginSettings(
  settings: Record<string, unknown> | undefined,
  manifest: Pick<PluginManifest, 'validateSettings'>,
): void {
  const problems = manifest.validateSettings?.(settings ?? {}) ?? [];
  if (problems.length === 0) return;
  const [first] = problems;
  throw new BadRequestException({
    error: 'invalid_settings',
    message: `${first.field} ${first.message}`,
    details: { field: first.field, problems },
  });
}
