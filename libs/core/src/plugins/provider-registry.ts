import type { CallTrackingProvider } from '../contract/call-tracking-provider.js';
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

  createAdapter(provider: string, context: ProviderContext): CallTrackingProvider {
    const { adapter } = this.manifest(provider);
    return new adapter(context);
  }
}
