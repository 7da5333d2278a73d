import type { FullProviderAdapter } from './capabilities.js';

/**
 * SDK 1.0's one adapter interface: every capability, with `NotSupportedError` stubs for what the
 * provider lacks. Kept so 1.0 plugins compile; the platform now reads capabilities from the
 * adapter's methods (see capabilities.ts and docs/decisions/0014).
 *
 * @deprecated Implement `ProviderConnection` and the capability interfaces your provider has
 * (`HistorySource`, `WebhookReceiver`, ...) instead.
 */
export interface CallTrackingProvider extends FullProviderAdapter {
  validateCredentials(): Promise<boolean>;
}
