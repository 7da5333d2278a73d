import * as semver from 'semver';
import { SDK_VERSION, type PluginManifest } from './plugin-manifest.js';

const PROVIDER_ID = /^[a-z][a-z0-9-]{1,48}$/;
const FEATURE_KEYS = [
  'webhooks',
  'realtime',
  'numberProvisioning',
  'recording',
  'transcription',
  'webhookRegistration',
  'callUpdates',
] as const;
const RATE_LIMIT_KEYS = [
  'requestsPerSecond',
  'requestsPerMinute',
  'requestsPerHour',
  'requestsPerDay',
  'maxConcurrency',
] as const;

/** Returns the problems with a manifest, in plain words; empty when it can be loaded. */
export function validateManifest(manifest: PluginManifest, sdkVersion = SDK_VERSION): string[] {
  const problems: string[] = [];
  if (!PROVIDER_ID.test(manifest.provider ?? '')) {
    problems.push(`provider id "${manifest.provider}" must match ${PROVIDER_ID}`);
  }
  if (!manifest.displayName) problems.push('displayName is required');
  if (!semver.valid(manifest.version)) problems.push(`version "${manifest.version}" is not semver`);
  if (!manifest.compatibility || !semver.validRange(manifest.compatibility)) {
    problems.push(`compatibility "${manifest.compatibility}" is not a semver range`);
  } else if (!semver.satisfies(sdkVersion, manifest.compatibility)) {
    problems.push(`needs SDK ${manifest.compatibility} but this Switchboard provides SDK ${sdkVersion}`);
  }
  for (const key of FEATURE_KEYS) {
    if (typeof manifest.features?.[key] !== 'boolean') problems.push(`features.${key} must be true or false`);
  }
  if (typeof manifest.adapter !== 'function') problems.push('adapter must be a class');
  if (typeof manifest.credentials !== 'function')
    problems.push('credentials must be a class-validator DTO class');
  if (!Array.isArray(manifest.secretCredentialFields))
    problems.push('secretCredentialFields must be an array');
  for (const key of RATE_LIMIT_KEYS) {
    const value = manifest.rateLimits?.[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      problems.push(`rateLimits.${key} must be a positive integer`);
  }
  const sync = manifest.sync;
  if (!sync || !(sync.intervalSeconds > 0) || !(sync.batchSize > 0) || !(sync.lookbackSeconds >= 0)) {
    problems.push('sync needs intervalSeconds > 0, batchSize > 0 and lookbackSeconds >= 0');
  }
  if (
    !manifest.webhooks ||
    !Array.isArray(manifest.webhooks.schemes) ||
    manifest.webhooks.schemes.length === 0
  ) {
    problems.push('webhooks.schemes must list at least one verification scheme');
  }
  return problems;
}
