import { CallTrackingPlugin } from '@switchboard/plugin-sdk';
import { RetreaverAdapter } from './retreaver.adapter.js';
import { DEFAULT_API_BASE_URL, DEFAULT_PAGE_SIZE, PROVIDER } from './retreaver.constants.js';
import { RetreaverCredentials, SECRET_CREDENTIAL_FIELDS } from './retreaver.credentials.js';

/**
 * The Retreaver plugin. Facts behind the manifest:
 * - realtime: campaign webhooks fire on Start, Selected, answered and at the end of the call.
 * - number provisioning: `POST /numbers.json` and `DELETE /numbers/{id}.json` exist (the adapter
 *   implements them; capabilities are read from its methods, not declared).
 * - recording: calls carry `recording_url`; transcription is not exposed.
 * - webhook registration / call updates: no documented API, so the adapter has no such methods.
 * - rateLimits: Retreaver publishes no rate, answers 429 to too much concurrency and benchmarks
 *   its own example with 4 threads.
 * - sync: the docs advise polling every 10 minutes; we poll every 5 and re-read 6 hours back,
 *   because conversions and revenue (`conversions_determined_at`, buyer postbacks) land after the
 *   call while the calls API filters by creation time only.
 * - webhooks: Retreaver cannot sign requests, so the token in the URL is the only scheme.
 */
@CallTrackingPlugin({
  provider: PROVIDER,
  displayName: 'Retreaver',
  version: '0.1.0',
  compatibility: '^1.1.0',
  // What the plugin can do is read from RetreaverAdapter's methods; these are facts it cannot show.
  features: { realtime: true, recording: true, transcription: false },
  credentials: RetreaverCredentials,
  secretCredentialFields: SECRET_CREDENTIAL_FIELDS,
  adapter: RetreaverAdapter,
  rateLimits: { maxConcurrency: 4 },
  sync: { intervalSeconds: 300, batchSize: DEFAULT_PAGE_SIZE, lookbackSeconds: 6 * 3600 },
  webhooks: { schemes: ['token'], tokenQueryParam: 'token' },
  defaultApiBaseUrl: DEFAULT_API_BASE_URL,
})
export class RetreaverPlugin {}
