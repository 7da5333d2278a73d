import { Global, Inject, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { discoverPlugins, type DiscoveryOptions, type DiscoveryResult } from './plugin-discovery.js';
import { ProviderRegistry } from './provider-registry.js';

/**
 * Loads the discovered plugins into the Nest application. Plugins contribute modules, so discovery
 * has to finish before the module graph is built: `forRoot` returns a promise, which Nest accepts
 * in `imports`.
 */
@Global()
@Module({})
export class PluginsModule implements OnModuleInit {
  constructor(@Inject(ProviderRegistry) private readonly registry: ProviderRegistry) {}

  /** Logged at init rather than at import time, so the lines go through the app's logger. */
  onModuleInit(): void {
    const logger = new Logger('Plugins');
    for (const failure of this.registry.failed()) {
      logger.error(`plugin ${failure.packageName} skipped: ${failure.reason}`);
    }
    for (const plugin of this.registry.list()) {
      logger.log(
        `plugin ${plugin.manifest.provider} ${plugin.manifest.version} loaded from ${plugin.packageName}`,
      );
    }
  }

  static async forRoot(options: DiscoveryOptions | { discovery: DiscoveryResult }): Promise<DynamicModule> {
    const discovery = 'discovery' in options ? options.discovery : await discoverPlugins(options);
    return {
      module: PluginsModule,
      imports: discovery.loaded.map((plugin) => plugin.module),
      providers: [{ provide: ProviderRegistry, useValue: new ProviderRegistry(discovery) }],
      exports: [ProviderRegistry],
    };
  }
}
