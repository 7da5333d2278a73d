import { SDK_VERSION, getPluginManifest, validateManifest } from '@switchboard/plugin-sdk';
import RingbaPluginDefault, { RingbaAdapter, RingbaCredentials, RingbaPlugin } from './index.js';

describe('RingbaPlugin manifest', () => {
  const manifest = getPluginManifest(RingbaPlugin);

  it('is the default export and carries a valid manifest', () => {
    expect(RingbaPluginDefault).toBe(RingbaPlugin);
    expect(manifest).toBeDefined();
    expect(validateManifest(manifest!, SDK_VERSION)).toEqual([]);
  });

  it('declares what Ringba can and cannot do', () => {
    expect(manifest).toMatchObject({
      provider: 'ringba',
      version: '0.1.0',
      compatibility: '^1.0.0',
      adapter: RingbaAdapter,
      credentials: RingbaCredentials,
      secretCredentialFields: ['apiToken'],
      features: {
        webhooks: true,
        realtime: true,
        numberProvisioning: true,
        recording: true,
        transcription: false,
        webhookRegistration: false,
        callUpdates: false,
      },
      rateLimits: { requestsPerSecond: 5, requestsPerMinute: 80 },
      sync: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 259_200 },
      webhooks: { schemes: ['token'], tokenQueryParam: 'token' },
      defaultApiBaseUrl: 'https://api.ringba.com/v2',
    });
  });
});
