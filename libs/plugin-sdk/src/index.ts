/**
 * @switchboard/plugin-sdk — the only package a provider plugin depends on.
 *
 * It re-exports the provider contract, the normalized types, the typed errors and the
 * @CallTrackingPlugin decorator from the core, and adds helpers every adapter needs. See
 * docs/plugin-authors-guide.md.
 */
export {
  CALL_STATUSES,
  CALL_STATUS_STAGE,
  CALL_EVENT_TYPES,
  SDK_VERSION,
  CallTrackingPlugin,
  ProviderError,
  NotSupportedError,
  MappingError,
  CredentialsError,
  SignatureError,
  isCallStatus,
  isFinalStatus,
  isRetryable,
  toE164,
  validateManifest,
  getPluginManifest,
} from '@switchboard/core';
export type {
  CallStatus,
  CallEventType,
  CallFilters,
  CallPage,
  CallReport,
  CallTrackingProvider,
  CallUpdate,
  Campaign,
  DecimalString,
  InboundWebhook,
  MappingWarning,
  NormalizedCall,
  NormalizedCallEvent,
  NumberOptions,
  PluginFeatures,
  PluginManifest,
  PluginRateLimits,
  PluginSyncDefaults,
  PluginWebhookDefaults,
  ProviderContext,
  ProviderHttpClient,
  ProviderHttpRequest,
  ProviderHttpResponse,
  PluginLogger,
  SkippedRow,
  TrackingNumber,
  VerificationResult,
  VerificationScheme,
  WebhookConfig,
  WebhookDescription,
  WebhookRegistration,
  WebhookTemplate,
} from '@switchboard/core';
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
