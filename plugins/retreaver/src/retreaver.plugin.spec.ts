import { getPluginManifest, pluginCapabilities, validateManifest } from '@switchboard/plugin-sdk';
import RetreaverPluginDefault, { RetreaverAdapter, RetreaverCredentials, RetreaverPlugin } from './index.js';

describe('Retreaver plugin manifest', () => {
  const manifest = getPluginManifest(RetreaverPluginDefault);

  it('is the default export and passes the platform checks', () => {
    expect(RetreaverPluginDefault).toBe(RetreaverPlugin);
    expect(manifest).toBeDefined();
    expect(validateManifest(manifest!)).toEqual([]);
  });

  it('declares what Retreaver can and cannot do', () => {
    expect(manifest).toMatchObject({
      provider: 'retreaver',
      displayName: 'Retreaver',
      version: '0.1.0',
      compatibility: '^1.1.0',
      features: { realtime: true, recording: true, transcription: false },
      secretCredentialFields: ['apiKey'],
      rateLimits: { maxConcurrency: 4 },
      sync: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 21600 },
      webhooks: { schemes: ['token'], tokenQueryParam: 'token' },
      defaultApiBaseUrl: 'https://api.retreaver.com',
    });
    expect(manifest!.adapter).toBe(RetreaverAdapter);
    expect(manifest!.credentials).toBe(RetreaverCredentials);
    expect(pluginCapabilities(manifest!)).toEqual([
      'webhooks',
      'history',
      'callLookup',
      'numbers',
      'numberProvisioning',
      'campaigns',
      'reports',
    ]);
  });
});
