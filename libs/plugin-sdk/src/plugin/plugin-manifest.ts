import type { Type } from '@nestjs/common';
import type { Capability, ProviderAdapter } from '../contract/capabilities.js';
import type { ProviderContext } from '../contract/provider-context.js';
import type { VerificationScheme } from '../contract/webhook.js';

/** Version of the plugin contract this build of Switchboard implements. Plugins declare a range. */
export const SDK_VERSION = '1.1.0';

/**
 * Facts about the provider that its methods cannot show. What the plugin can *do* (webhooks,
 * history, number provisioning...) is not declared: the platform reads it from the adapter class
 * (see `capabilitiesOf`). All optional; absent means false.
 */
export interface PluginFacts {
  /** Events arrive while the call is live (ringing / answered), not only after it ends. */
  realtime?: boolean;
  recording?: boolean;
  transcription?: boolean;
}

/**
 * SDK 1.0's feature flags: the facts plus flags that restated capabilities. Still accepted: a flag
 * set to `true` must be backed by the adapter's methods (a manifest error otherwise), and an
 * explicit `false` hides a capability the class has (1.0 plugins kept `NotSupportedError` stubs).
 * Any capability name may be set to `false` the same way.
 */
export interface PluginFeatures extends PluginFacts, Partial<Record<Capability, boolean>> {
  /** @deprecated derived: the adapter implements WebhookReceiver. */
  webhooks?: boolean;
  /** @deprecated derived: the adapter implements NumberProvisioning. */
  numberProvisioning?: boolean;
  /** @deprecated derived: the adapter implements WebhookRegistrar. */
  webhookRegistration?: boolean;
  /** @deprecated derived: the adapter implements CallUpdates. */
  callUpdates?: boolean;
}

/**
 * The provider's published request budget per connection (account), enforced by the platform
 * across every worker in fixed windows (second, minute, hour, UTC day); set the ones the
 * provider publishes. A 429 with Retry-After pauses the connection however these are set.
 */
export interface PluginRateLimits {
  requestsPerSecond?: number;
  requestsPerMinute?: number;
  /** e.g. CallRail's 1,000 requests an hour. */
  requestsPerHour?: number;
  /** e.g. CallRail's 10,000 requests a day (UTC day). */
  requestsPerDay?: number;
  /** Concurrent requests per connection (Retreaver answers 429 to more than about 4). */
  maxConcurrency?: number;
}

export interface PluginSyncDefaults {
  /** How often the scheduled sync runs. */
  intervalSeconds: number;
  /** Page size asked of the provider. */
  batchSize: number;
  /** How far back each scheduled sync re-reads (revenue can change after a call ends). */
  lookbackSeconds: number;
}

export interface PluginWebhookDefaults {
  /** Schemes this provider can actually do, in order of preference. */
  schemes: VerificationScheme[];
  tokenQueryParam?: string;
  tokenHeader?: string;
  /** Addresses the provider publishes for its webhooks, when it does. */
  ipAllowlist?: string[];
}

/** The adapter class: one instance per connection; its methods say which capabilities it has. */
export type ProviderAdapterClass = new (context: ProviderContext<any>) => ProviderAdapter;

/** Everything the platform needs to know about a plugin, declared with @CallTrackingPlugin. */
export interface PluginManifest {
  /** Type id used in URLs and storage: lower-case letters, digits and dashes ("ringba"). */
  provider: string;
  displayName: string;
  /** The plugin's own version (semver). */
  version: string;
  /** Semver range of SDK_VERSION the plugin works with ("^1.0.0"). */
  compatibility: string;
  /** Descriptive facts (realtime, recording, transcription); 1.0's capability flags still accepted. */
  features?: PluginFeatures;
  /** class-validator DTO describing the connection's credentials. */
  credentials: Type<object>;
  /** Field names of `credentials` that are secret (never shown back, never logged). */
  secretCredentialFields: string[];
  adapter: ProviderAdapterClass;
  rateLimits: PluginRateLimits;
  /** Scheduled-sync defaults; required when the adapter implements HistorySource, unused otherwise. */
  sync?: PluginSyncDefaults;
  webhooks: PluginWebhookDefaults;
  /** Where the provider's API lives, for documentation and health probes. */
  defaultApiBaseUrl?: string;
  /**
   * Checks the plugin's own keys of a connection's settings when they are set (POST and PATCH
   * /connections): each problem is refused as a 400 `invalid_settings` naming the field. Optional;
   * without it the platform checks only its own keys.
   */
  validateSettings?: (settings: Readonly<Record<string, unknown>>) => SettingsProblem[];
}

/** One thing wrong with a connection's settings: where (`settings.mapping.fields.revenue`) and what. */
export interface SettingsProblem {
  field: string;
  message: string;
}
