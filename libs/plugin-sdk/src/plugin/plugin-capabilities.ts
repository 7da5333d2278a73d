import {
  CAPABILITIES,
  CAPABILITY_METHODS,
  scanCapabilities,
  type Capability,
} from '../contract/capabilities.js';
import type { PluginFacts, PluginManifest } from './plugin-manifest.js';

/** The descriptive facts a manifest can declare (everything else is derived from the adapter). */
export const PLUGIN_FACTS = ['realtime', 'recording', 'transcription'] as const satisfies ReadonlyArray<
  keyof PluginFacts
>;

/**
 * The capabilities the platform uses for a plugin: those its adapter class implements, minus any
 * the manifest sets to `false` (SDK 1.0 plugins implemented every method, with NotSupportedError
 * stubs, and said which were real with these flags).
 */
export function pluginCapabilities(manifest: Pick<PluginManifest, 'adapter' | 'features'>): Capability[] {
  return notSwitchedOff(scanCapabilities(manifest.adapter).complete, manifest);
}

function notSwitchedOff(implemented: Capability[], manifest: Pick<PluginManifest, 'features'>): Capability[] {
  return implemented.filter((c) => manifest.features?.[c] !== false);
}

/**
 * What the manifest and its adapter disagree on: a capability with some of its methods only, and
 * a feature flag set to `true` whose capability the adapter lacks. Part of validateManifest.
 */
export function capabilityProblems(manifest: Pick<PluginManifest, 'adapter' | 'features'>): string[] {
  const problems: string[] = [];
  const scan = scanCapabilities(manifest.adapter);
  for (const { capability, missing } of scan.partial) {
    const has = CAPABILITY_METHODS[capability].filter((m: string) => !missing.includes(m));
    problems.push(
      `adapter implements ${has.join(', ')} but not ${missing.join(', ')} (capability ${capability} needs ${CAPABILITY_METHODS[capability].join(' and ')})`,
    );
  }
  for (const capability of CAPABILITIES) {
    if (manifest.features?.[capability] !== true || scan.complete.includes(capability)) continue;
    if (scan.partial.some((p) => p.capability === capability)) continue; // already named above
    problems.push(
      `features.${capability} is true but the adapter has no ${CAPABILITY_METHODS[capability].join('/')}`,
    );
  }
  const effective = notSwitchedOff(scan.complete, manifest);
  if (!effective.includes('webhooks') && !effective.includes('history'))
    problems.push(
      'adapter implements neither WebhookReceiver (webhookTemplates, describeWebhook, mapWebhook) nor HistorySource (getCalls): no call would ever reach the platform',
    );
  return problems;
}

/**
 * The plugin's facts and capabilities as one flag record (API views, the CLI): every fact and
 * every capability, true or false.
 */
export function pluginFeatureFlags(
  manifest: Pick<PluginManifest, 'adapter' | 'features'>,
): Record<PluginFactName | Capability, boolean> {
  const capabilities = new Set(pluginCapabilities(manifest));
  const flags = {} as Record<PluginFactName | Capability, boolean>;
  for (const fact of PLUGIN_FACTS) flags[fact] = manifest.features?.[fact] === true;
  for (const capability of CAPABILITIES) flags[capability] = capabilities.has(capability);
  return flags;
}

export type PluginFactName = (typeof PLUGIN_FACTS)[number];
