/**
 * @switchboard/plugin-sdk — the only package a provider plugin depends on.
 *
 * It owns the provider contract (the normalized types, the adapter interface, the typed errors,
 * the manifest and the @CallTrackingPlugin decorator; the platform's core re-exports them) and
 * adds helpers every adapter needs. It depends on no private package, so it installs anywhere.
 * See README.md and docs/plugin-authors-guide.md.
 */
export * from './contract/call-status.js';
export * from './contract/normalized-call.js';
export * from './contract/webhook.js';
export * from './contract/provider-context.js';
export * from './contract/capabilities.js';
export * from './contract/call-tracking-provider.js';
export * from './errors/switchboard-error.js';
export * from './errors/provider-error.js';
export * from './plugin/plugin-manifest.js';
export * from './plugin/call-tracking-plugin.decorator.js';
export * from './plugin/manifest-validation.js';
export * from './plugin/plugin-capabilities.js';
export * from './reports/call-report.js';
export * from './paging/cursor-codec.js';
export * from './paging/row-mapping.js';
export * from './phone/e164.js';
export * from './payload-readers.js';
export * from './payload-fields.js';
export * from './decimal-sum.js';
// Credential DTOs use class-validator; plugins take it from the SDK so the platform and every
// plugin share one copy (its metadata store is per copy, so two copies would not validate).
export {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
export * from './credentials-check.js';
