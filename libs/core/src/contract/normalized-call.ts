// Moved to @switchboard/plugin-sdk (src/contract/normalized-call.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export { CALL_EVENT_TYPES } from '@switchboard/plugin-sdk';
export type {
  DecimalString,
  NormalizedCall,
  CallEventType,
  MappingWarning,
  NormalizedCallEvent,
  Campaign,
  TrackingNumber,
  NumberOptions,
  CallFilters,
  CallPage,
  SkippedRow,
  CallUpdate,
  CallReport,
} from '@switchboard/plugin-sdk';
