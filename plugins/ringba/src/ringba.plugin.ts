import { CallTrackingPlugin } from '@switchboard/plugin-sdk';
import { RingbaAdapter } from './ringba.adapter.js';
import {
  RINGBA_DEFAULT_API_BASE_URL,
  RINGBA_DEFAULT_PAGE_SIZE,
  RINGBA_PROVIDER,
} from './ringba.constants.js';
import { RINGBA_SECRET_CREDENTIAL_FIELDS, RingbaCredentials } from './ringba.credentials.js';

/** Ringba's reporting API budget (R4): 5 requests a second and 80 a minute per account. */
export const RINGBA_RATE_LIMITS = { requestsPerSecond: 5, requestsPerMinute: 80 };

/**
 * The Ringba plugin. Revenue and payout can change after a call ends (conversions, adjustments)
 * and Ringba has no "updated since" filter, so every scheduled sync re-reads the last 3 days.
 */
@CallTrackingPlugin({
  provider: RINGBA_PROVIDER,
  displayName: 'Ringba',
  version: '0.1.0',
  compatibility: '^1.1.0',
  // What the plugin can do is read from RingbaAdapter's methods; these are facts it cannot show.
  features: { realtime: true, recording: true, transcription: false },
  credentials: RingbaCredentials,
  secretCredentialFields: RINGBA_SECRET_CREDENTIAL_FIELDS,
  adapter: RingbaAdapter,
  rateLimits: RINGBA_RATE_LIMITS,
  sync: { intervalSeconds: 300, batchSize: RINGBA_DEFAULT_PAGE_SIZE, lookbackSeconds: 3 * 24 * 3600 },
  webhooks: { schemes: ['token'], tokenQueryParam: 'token', tokenHeader: 'x-switchboard-token' },
  defaultApiBaseUrl: RINGBA_DEFAULT_API_BASE_URL,
})
export class RingbaPlugin {}
