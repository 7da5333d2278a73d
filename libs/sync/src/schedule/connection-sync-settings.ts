import { MIN_SYNC_INTERVAL_SECONDS } from '@switchboard/connections';
import type { PluginSyncDefaults } from '@switchboard/core';

/**
 * A connection's sync settings: the plugin manifest's defaults, overridden per connection by
 * `settings.sync` (`intervalSeconds`, `lookbackSeconds`, `batchSize`, `enabled`). Values that are
 * not positive whole numbers are ignored (the API validates them when they are set).
 */
const NO_PLUGIN_DEFAULTS: PluginSyncDefaults = {
  intervalSeconds: 300,
  batchSize: 100,
  lookbackSeconds: 3600,
};

export function connectionSyncSettings(
  defaults: PluginSyncDefaults | undefined,
  settings: unknown,
): PluginSyncDefaults & { enabled: boolean } {
  // A manifest without sync defaults is one without a HistorySource (validateManifest requires
  // them otherwise), whose connections are never synced; the fallback only keeps this total.
  defaults ??= NO_PLUGIN_DEFAULTS;
  const sync = isObject(settings) && isObject(settings.sync) ? settings.sync : {};
  const whole = (value: unknown, fallback: number, min = 1) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fallback;
  return {
    enabled: sync.enabled !== false,
    intervalSeconds: whole(sync.intervalSeconds, defaults.intervalSeconds, MIN_SYNC_INTERVAL_SECONDS),
    lookbackSeconds: whole(sync.lookbackSeconds, defaults.lookbackSeconds),
    batchSize: whole(sync.batchSize, defaults.batchSize),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
