import type { Type } from '@nestjs/common';
import type { CallTrackingProvider } from '../contract/call-tracking-provider.js';
import type { ProviderContext } from '../contract/provider-context.js';
import type { VerificationScheme } from '../contract/webhook.js';

/** Version of the plugin contract this build of Switchboard implements. Plugins declare a range. */
export const SDK_VERSION = '1.0.0';

export interface PluginFeatures {
  /** The provider can send real-time events (pixels, webhooks). */
  webhooks: boolean;
  /** Events arrive while the call is live (ringing / answered), not only after it ends. */
  realtime: boolean;
  numberProvisioning: boolean;
  recording: boolean;
  transcription: boolean;
  /** registerWebhook works through the provider's API (otherwise: paste the templates). */
  webhookRegistration: boolean;
  /** updateCall can push conversions/revenue back to the provider. */
  callUpdates: boolean;
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

export type ProviderAdapterClass = new (context: ProviderContext<any>) => CallTrackingProvider;

/** Everything the platform needs to know about a plugin, declared with @CallTrackingPlugin. */
export interface PluginManifest {
  /** Type id used in URLs and storage: lower-case letters, digits and dashes ("ringba"). */
  provider: string;
  displayName: string;
  /** The plugin's own version (semver). */
  version: string;
  /** Semver range of SDK_VERSION the plugin works with ("^1.0.0"). */
  compatibility: string;
  features: PluginFeatures;
  /** class-validator DTO describing the connection's credentials. */
  credentials: Type<object>;
  /** Field names of `credentials` that are secret (never shown back, never logged). */
  secretCredentialFields: string[];
  adapter: ProviderAdapterClass;
  rateLimits: PluginRateLimits;
  sync: PluginSyncDefaults;
  webhooks: PluginWebhookDefaults;
  /** Where the provider's API lives, for documentation and health probes. */
  defaultApiBaseUrl?: string;
}
