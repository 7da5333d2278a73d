// Moved to @switchboard/plugin-sdk (src/contract/call-tracking-provider.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export type { CallTrackingProvider } from '@switchboard/plugin-sdk';
