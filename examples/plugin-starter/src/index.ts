import { CallTrackingPlugin } from '@switchboard/plugin-sdk';
import { StarterAdapter } from './starter.adapter.js';
import { StarterCredentials } from './starter.credentials.js';

/** The plugin: a Nest module carrying its manifest. The platform finds it through package.json. */
@CallTrackingPlugin({
  provider: 'starter',
  displayName: 'Starter',
  version: '0.1.0',
  compatibility: '^1.1.0',
  // What the plugin can do is read from StarterAdapter's methods; declare only these facts.
  features: { realtime: true, recording: true, transcription: false },
  credentials: StarterCredentials,
  secretCredentialFields: ['apiKey'],
  adapter: StarterAdapter,
  rateLimits: { requestsPerSecond: 5 },
  sync: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 86_400 },
  webhooks: { schemes: ['token', 'hmac'] },
  defaultApiBaseUrl: 'https://api.starter.example/v1',
})
export default class StarterPlugin {}

export { StarterAdapter, StarterCredentials };
