// Moved to @switchboard/plugin-sdk (src/errors/switchboard-error.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { SwitchboardError, ConfigError, SignatureError } from '@switchboard/plugin-sdk';
