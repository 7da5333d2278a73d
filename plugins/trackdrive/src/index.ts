import { TrackDrivePlugin } from './trackdrive.plugin.js';

export { TrackDrivePlugin };
export { TrackDriveAdapter, resolveBaseUrl } from './trackdrive.adapter.js';
export { TrackDriveCredentials, TRACKDRIVE_SECRET_CREDENTIAL_FIELDS } from './trackdrive.credentials.js';
export { TRACKDRIVE, TRACKDRIVE_DEFAULT_API_BASE_URL } from './trackdrive.constants.js';
export {
  TRACKDRIVE_STATUS_MAP,
  TRACKDRIVE_STATUS_PREFIXES,
  mapTrackDriveStatus,
} from './trackdrive.status.js';
export {
  TRACKDRIVE_TRIGGERS,
  TRACKDRIVE_TRIGGER_SPECS,
  type TrackDriveTrigger,
  type TrackDriveTriggerSpec,
} from './trackdrive.triggers.js';
export { TRACKDRIVE_BODY_TOKENS, EVENT_QUERY_PARAM, TOKEN_QUERY_PARAM } from './trackdrive.webhooks.js';
export { formatTrackDriveDate } from './trackdrive.dates.js';

export default TrackDrivePlugin;
