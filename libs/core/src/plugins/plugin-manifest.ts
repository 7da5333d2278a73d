// Moved to @switchboard/plugin-sdk (src/plugin/plugin-manifest.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { SDK_VERSION } from '@switchboard/plugin-sdk';
export type {
  PluginFeatures,
  PluginRateLimits,
  PluginSyncDefaults,
  PluginWebhookDefaults,
  ProviderAdapterClass,
  PluginManifest,
} from '@switchboard/plugin-sdk';
