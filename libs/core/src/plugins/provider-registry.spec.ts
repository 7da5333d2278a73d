import { MissingCapabilityError, NotSupportedError, type PluginManifest } from '@switchboard/plugin-sdk';
import { ProviderRegistry } from './provider-registry.js';

/** A 1.0-style adapter: history, plus number provisioning stubs its manifest switches off. */
class LegacyAdapter {
  async authenticate(): Promise<void> {}
  async getCalls() {
    return { calls: [] };
  }
  async provisionNumber(): Promise<never> {
    throw new NotSupportedError('legacy', 'provisionNumber');
  }
  async releaseNumber(): Promise<never> {
    throw new NotSupportedError('legacy', 'releaseNumber');
  }
}

const registry = new ProviderRegistry({
  loaded: [
    {
      manifest: {
        provider: 'legacy',
        adapter: LegacyAdapter,
        features: { numberProvisioning: false },
      } as unknown as PluginManifest,
      module: class {},
      packageName: 'legacy',
      packageDir: '/x',
    },
  ],
  failed: [],
});

describe('ProviderRegistry capabilities', () => {
  it('has the capabilities of the adapter class minus those a 1.0 manifest switched off', () => {
    expect([...registry.capabilities('legacy')]).toEqual(['history']);
    expect(registry.supports('legacy', 'history')).toBe(true);
    expect(registry.supports('legacy', 'numberProvisioning')).toBe(false);
  });

  it('hands out the adapter for a capability it has, and MissingCapabilityError naming one it lacks', () => {
    const adapter = new LegacyAdapter();
    expect(registry.require('legacy', adapter, 'history', 'sync')).toBe(adapter);
    let error: unknown;
    try {
      registry.require('legacy', adapter, 'numberProvisioning', 'provisionNumber');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingCapabilityError);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect(error).toMatchObject({
      provider: 'legacy',
      capability: 'numberProvisioning',
      code: 'not_supported',
    });
    expect((error as Error).message).toBe(
      'legacy does not support provisionNumber: the legacy plugin does not implement numberProvisioning',
    );
  });
});
