import { IsString } from 'class-validator';
import type { ProviderAdapterClass } from './plugin-manifest.js';
import { validateManifest } from './manifest-validation.js';
import { pluginCapabilities, pluginFeatureFlags } from './plugin-capabilities.js';
import type { PluginManifest } from './plugin-manifest.js';
import { NotSupportedError } from '../errors/provider-error.js';

class Credentials {
  @IsString()
  apiKey!: string;
}

class Receiver {
  async authenticate(): Promise<void> {}
  webhookTemplates() {
    return [];
  }
  describeWebhook() {
    return {};
  }
  mapWebhook(): never {
    throw new Error('unused');
  }
}

/** An SDK 1.0 adapter: every method, with NotSupportedError stubs for what the provider lacks. */
class LegacyAdapter extends Receiver {
  async getCalls() {
    return { calls: [] };
  }
  async updateCall(): Promise<never> {
    throw new NotSupportedError('legacy', 'updateCall');
  }
  async provisionNumber(): Promise<never> {
    throw new NotSupportedError('legacy', 'provisionNumber');
  }
  async releaseNumber(): Promise<never> {
    throw new NotSupportedError('legacy', 'releaseNumber');
  }
}

const manifest = (adapter: unknown, features?: PluginManifest['features']): PluginManifest => ({
  provider: 'acme',
  displayName: 'Acme',
  version: '1.0.0',
  compatibility: '^1.0.0',
  ...(features ? { features } : {}),
  credentials: Credentials,
  secretCredentialFields: ['apiKey'],
  adapter: adapter as ProviderAdapterClass,
  rateLimits: {},
  sync: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 3600 },
  webhooks: { schemes: ['token'] },
});

describe('manifest capabilities', () => {
  it('derives the capabilities from the adapter when no features are declared', () => {
    const m = manifest(LegacyAdapter);
    expect(validateManifest(m)).toEqual([]);
    expect(pluginCapabilities(m)).toEqual(['webhooks', 'history', 'callUpdates', 'numberProvisioning']);
  });

  it('keeps a 1.0 manifest working: an explicit false hides the stubbed capability', () => {
    const m = manifest(LegacyAdapter, {
      webhooks: true,
      realtime: true,
      numberProvisioning: false,
      recording: false,
      transcription: false,
      webhookRegistration: false,
      callUpdates: false,
    });
    expect(validateManifest(m)).toEqual([]);
    expect(pluginCapabilities(m)).toEqual(['webhooks', 'history']);
  });

  it('refuses a feature declared true whose methods the adapter lacks', () => {
    expect(validateManifest(manifest(Receiver, { callUpdates: true }))).toEqual([
      'features.callUpdates is true but the adapter has no updateCall',
    ]);
  });

  it('refuses a partial capability, naming the missing method', () => {
    class ProvisionOnly extends Receiver {
      async provisionNumber(): Promise<never> {
        throw new Error('unused');
      }
    }
    expect(validateManifest(manifest(ProvisionOnly))).toEqual([
      'adapter implements provisionNumber but not releaseNumber (capability numberProvisioning needs provisionNumber and releaseNumber)',
    ]);
  });

  it('refuses an adapter that can neither receive webhooks nor read history', () => {
    class Nothing {
      async authenticate(): Promise<void> {}
    }
    expect(validateManifest(manifest(Nothing))).toEqual([
      expect.stringMatching(/^adapter implements neither WebhookReceiver .* nor HistorySource/),
    ]);
  });

  it('refuses a feature that is not a boolean', () => {
    expect(validateManifest(manifest(Receiver, { realtime: 'yes' as unknown as boolean }))).toEqual([
      'features.realtime must be true or false',
    ]);
  });

  it('shows facts and capabilities as one flag record', () => {
    const flags = pluginFeatureFlags(manifest(LegacyAdapter, { realtime: true, callUpdates: false }));
    expect(flags).toMatchObject({
      realtime: true,
      recording: false,
      webhooks: true,
      history: true,
      callUpdates: false,
      numberProvisioning: true,
      campaigns: false,
    });
  });
});
