import {
  MissingCapabilityError,
  pluginCapabilities,
  type Capability,
  type ProviderAdapter,
  type WithCapability,
} from '@switchboard/plugin-sdk';
import type { ProviderContext } from '../contract/provider-context.js';
import type { DiscoveryResult, FailedPlugin, LoadedPlugin } from './plugin-discovery.js';
import type { PluginManifest } from './plugin-manifest.js';

export class UnknownProviderError extends Error {
  readonly code = 'unknown_provider';
  constructor(readonly provider: string) {
    super(`no plugin is loaded for provider "${provider}"`);
  }
}

/** The plugins this process loaded (and the ones it could not), by provider id. */
export class ProviderRegistry {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly failures: FailedPlugin[];
  private readonly capabilitySets = new Map<string, ReadonlySet<Capability>>();

  constructor(discovery: DiscoveryResult) {
    for (const plugin of discovery.loaded) this.plugins.set(plugin.manifest.provider, plugin);
    this.failures = [...discovery.failed];
  }

  has(provider: string): boolean {
    return this.plugins.has(provider);
  }

  /** Manifest of a loaded plugin; throws UnknownProviderError otherwise. */
  manifest(provider: string): PluginManifest {
    return this.get(provider).manifest;
  }

  get(provider: string): LoadedPlugin {
    const plugin = this.plugins.get(provider);
    if (!plugin) throw new UnknownProviderError(provider);
    return plugin;
  }

  list(): LoadedPlugin[] {
    return [...this.plugins.values()];
  }

  failed(): FailedPlugin[] {
    return [...this.failures];
  }

  createAdapter(provider: string, context: ProviderContext): ProviderAdapter {
    const { adapter } = this.manifest(provider);
    return new adapter(context);
  }

  /**
   * What the plugin's adapter can do: the capabilities its class implements, minus any an SDK 1.0
   * manifest switched off with an explicit `false`. The platform asks this, never feature flags.
   */
  capabilities(provider: string): ReadonlySet<Capability> {
    let set = this.capabilitySets.get(provider);
    if (!set) {
      set = new Set(pluginCapabilities(this.manifest(provider)));
      this.capabilitySets.set(provider, set);
    }
    return set;
  }

  supports(provider: string, capability: Capability): boolean {
    return this.capabilities(provider).has(capability);
  }

  /**
   * The adapter as one with `capability`, or MissingCapabilityError (the API's 501 not_supported)
   * naming the capability and the operation that needed it.
   */
  require<K extends Capability, A extends ProviderAdapter>(
    provider: string,
    adapter: A,
    capability: K,
    operation: string,
  ): A & WithCapability<K> {
    if (!this.supports(provider, capability))
      throw new MissingCapabilityError(provider, capability, operation);
    return adapter as A & WithCapability<K>;
  }
}
