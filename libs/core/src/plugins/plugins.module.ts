import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { discoverPlugins, type DiscoveryOptions, type DiscoveryResult } from './plugin-discovery.js';
import { ProviderRegistry } from './provider-registry.js';

/**
 * Loads the discovered plugins into the Nest application. Plugins contribute modules, so discovery
 * has to finish before the module graph is built: `forRoot` returns a promise, which Nest accepts
 * in `imports`.
 */
@Global()
@Module({})
export class PluginsModule {
  static async forRoot(options: DiscoveryOptions | { discovery: DiscoveryResult }): Promise<DynamicModule> {
    const discovery = 'discovery' in options ? options.discovery : await discoverPlugins(options);
    const logger = new Logger('Plugins');
    for (const failure of discovery.failed) {
      logger.error(`plugin ${failure.packageName} skipped: ${failure.reason}`);
    }
    for (const plugin of discovery.loaded) {
      logger.log(`plugin ${plugin.manifest.provider} ${plugin.manifest.version} loaded from ${plugin.packageName}`);
    }
    return {
      module: PluginsModule,
      imports: discovery.loaded.map((plugin) => plugin.module),
      providers: [{ provide: ProviderRegistry, useValue: new ProviderRegistry(discovery) }],
      exports: [ProviderRegistry],
    };
  }
}
