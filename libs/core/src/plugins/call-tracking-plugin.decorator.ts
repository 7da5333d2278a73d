// Moved to @switchboard/plugin-sdk (src/plugin/call-tracking-plugin.decorator.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { PLUGIN_MANIFEST, CallTrackingPlugin, getPluginManifest } from '@switchboard/plugin-sdk';
export type { CallTrackingPluginOptions } from '@switchboard/plugin-sdk';
