// Moved to @switchboard/plugin-sdk (src/phone/e164.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { toE164 } from '@switchboard/plugin-sdk';
