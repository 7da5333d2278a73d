import { getPluginManifest, pluginCapabilities, validateManifest } from '@switchboard/plugin-sdk';
import TrackDrivePluginDefault, {
  TrackDriveAdapter,
  TrackDriveCredentials,
  TrackDrivePlugin,
} from './index.js';

describe('TrackDrive plugin manifest', () => {
  const manifest = getPluginManifest(TrackDrivePluginDefault)!;

  it('is the default export of the entry and a valid manifest', () => {
    expect(TrackDrivePluginDefault).toBe(TrackDrivePlugin);
    expect(manifest).toBeDefined();
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('declares what the plugin can honestly do', () => {
    expect(manifest).toMatchObject({
      provider: 'trackdrive',
      displayName: 'TrackDrive',
      version: '0.1.0',
      compatibility: '^1.1.0',
      features: { realtime: true, recording: true, transcription: false },
      credentials: TrackDriveCredentials,
      secretCredentialFields: ['privateKey'],
      adapter: TrackDriveAdapter,
      sync: { intervalSeconds: 600, batchSize: 50, lookbackSeconds: 86_400 },
      webhooks: { schemes: ['token'], tokenQueryParam: 'token', tokenHeader: 'x-switchboard-token' },
      defaultApiBaseUrl: 'https://{subdomain}.trackdrive.com/api/v1',
    });
    expect(manifest.rateLimits.requestsPerSecond).toBeGreaterThan(0);
    expect(manifest.webhooks.schemes).not.toContain('hmac');
    // Capabilities come from the adapter's methods: no number provisioning, no own report.
    expect(pluginCapabilities(manifest)).toEqual([
      'webhooks',
      'history',
      'callLookup',
      'callUpdates',
      'numbers',
      'campaigns',
      'webhookRegistration',
    ]);
  });
});
