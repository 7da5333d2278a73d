// Moved to @switchboard/plugin-sdk (src/plugin/manifest-validation.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { validateManifest } from '@switchboard/plugin-sdk';
