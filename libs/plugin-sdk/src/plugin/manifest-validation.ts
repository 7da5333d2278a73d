import * as semver from 'semver';
import { CAPABILITIES } from '../contract/capabilities.js';
import { PLUGIN_FACTS, capabilityProblems, pluginCapabilities } from './plugin-capabilities.js';
import { SDK_VERSION, type PluginManifest } from './plugin-manifest.js';

const PROVIDER_ID = /^[a-z][a-z0-9-]{1,48}$/;
/** Keys a manifest's `features` may hold: the facts, and (for 1.0 compatibility) capability names. */
const FEATURE_KEYS: readonly string[] = [...PLUGIN_FACTS, ...CAPABILITIES];
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
  const features = (manifest.features ?? {}) as Record<string, unknown>;
  if (typeof features !== 'object' || features === null || Array.isArray(features)) {
    problems.push('features must be an object');
  } else {
    for (const key of FEATURE_KEYS) {
      if (features[key] !== undefined && typeof features[key] !== 'boolean')
        problems.push(`features.${key} must be true or false`);
    }
  }
  if (typeof manifest.adapter !== 'function') problems.push('adapter must be a class');
  else problems.push(...capabilityProblems(manifest));
  if (typeof manifest.credentials !== 'function')
    problems.push('credentials must be a class-validator DTO class');
  if (!Array.isArray(manifest.secretCredentialFields))
    problems.push('secretCredentialFields must be an array');
  for (const key of RATE_LIMIT_KEYS) {
    const value = manifest.rateLimits?.[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      problems.push(`rateLimits.${key} must be a positive integer`);
  }
  // Sync defaults matter only to a plugin the platform syncs (one with a HistorySource).
  const sync = manifest.sync;
  const syncs = typeof manifest.adapter === 'function' && pluginCapabilities(manifest).includes('history');
  if (!sync && syncs) {
    problems.push('sync defaults are required: the adapter implements HistorySource');
  } else if (sync && (!(sync.intervalSeconds > 0) || !(sync.batchSize > 0) || !(sync.lookbackSeconds >= 0))) {
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
