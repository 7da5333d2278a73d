// Moved to @switchboard/plugin-sdk (src/contract/call-status.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { CALL_STATUSES, CALL_STATUS_STAGE, isCallStatus, isFinalStatus } from '@switchboard/plugin-sdk';
export type { CallStatus } from '@switchboard/plugin-sdk';
