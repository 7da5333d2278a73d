import { Module, type ModuleMetadata } from '@nestjs/common';
import type { PluginManifest } from './plugin-manifest.js';

export const PLUGIN_MANIFEST = 'switchboard:plugin-manifest';

export type CallTrackingPluginOptions = PluginManifest & ModuleMetadata;

/**
 * Marks a Nest module as a Switchboard provider plugin. The module metadata (imports, providers,
 * controllers) is passed to @Module as usual, so a plugin can bring its own Nest parts; the rest
 * is the plugin's manifest, checked by the platform at startup.
 */
export function CallTrackingPlugin(options: CallTrackingPluginOptions): ClassDecorator {
  const { imports, providers, controllers, exports, ...manifest } = options;
  return (target) => {
    Module({ imports, providers, controllers, exports })(target);
    Reflect.defineMetadata(PLUGIN_MANIFEST, manifest, target);
  };
}

export function getPluginManifest(target: unknown): PluginManifest | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(PLUGIN_MANIFEST, target) as PluginManifest | undefined;
}
