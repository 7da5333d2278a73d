import { CallTrackingPlugin } from '@switchboard/plugin-sdk';
import { TrackDriveAdapter } from './trackdrive.adapter.js';
import {
  TRACKDRIVE,
  TRACKDRIVE_DEFAULT_API_BASE_URL,
  TRACKDRIVE_DEFAULT_PAGE_SIZE,
} from './trackdrive.constants.js';
import { TrackDriveCredentials, TRACKDRIVE_SECRET_CREDENTIAL_FIELDS } from './trackdrive.credentials.js';
import { TOKEN_QUERY_PARAM } from './trackdrive.webhooks.js';

/**
 * The TrackDrive plugin. Numbers are read-only (TrackDrive has no API to buy or release them);
 * webhooks can be pasted as templates or registered through the subscriptions API.
 */
@CallTrackingPlugin({
  provider: TRACKDRIVE,
  displayName: 'TrackDrive',
  version: '0.1.0',
  compatibility: '^1.1.0',
  // What the plugin can do is read from TrackDriveAdapter's methods; these are facts it cannot show.
  features: { realtime: true, recording: true, transcription: false },
  credentials: TrackDriveCredentials,
  secretCredentialFields: TRACKDRIVE_SECRET_CREDENTIAL_FIELDS,
  adapter: TrackDriveAdapter,
  // TrackDrive publishes no rate limit; this is a conservative default (see README).
  rateLimits: { requestsPerSecond: 2, requestsPerMinute: 60, maxConcurrency: 2 },
  // Conversions and postback revenue land after the call ends; re-read the last day each sync.
  sync: { intervalSeconds: 600, batchSize: TRACKDRIVE_DEFAULT_PAGE_SIZE, lookbackSeconds: 86_400 },
  webhooks: { schemes: ['token'], tokenQueryParam: TOKEN_QUERY_PARAM, tokenHeader: 'x-switchboard-token' },
  defaultApiBaseUrl: TRACKDRIVE_DEFAULT_API_BASE_URL,
})
export class TrackDrivePlugin {}
