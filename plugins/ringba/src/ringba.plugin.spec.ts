import {
  SDK_VERSION,
  getPluginManifest,
  pluginCapabilities,
  validateManifest,
} from '@switchboard/plugin-sdk';
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
      compatibility: '^1.1.0',
      adapter: RingbaAdapter,
      credentials: RingbaCredentials,
      secretCredentialFields: ['apiToken'],
      features: { realtime: true, recording: true, transcription: false },
      rateLimits: { requestsPerSecond: 5, requestsPerMinute: 80 },
      sync: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 259_200 },
      webhooks: { schemes: ['token'], tokenQueryParam: 'token' },
      defaultApiBaseUrl: 'https://api.ringba.com/v2',
    });
  });

  it('implements the capabilities Ringba has: no call updates, webhook registration or own report', () => {
    expect(pluginCapabilities(manifest!)).toEqual([
      'webhooks',
      'history',
      'callLookup',
      'numbers',
      'numberProvisioning',
      'campaigns',
    ]);
  });
});
