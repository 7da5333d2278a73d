// The capability interfaces live in @switchboard/plugin-sdk (src/contract/capabilities.ts);
// re-exported here for the platform.
export {
  CAPABILITIES,
  CAPABILITY_METHODS,
  MissingCapabilityError,
  capabilitiesOf,
  hasCapability,
  pluginCapabilities,
  pluginFeatureFlags,
  validateAdapterCredentials,
  aggregateCallReport,
  isConnectedCall,
  reportFromHistory,
  NO_CAMPAIGN,
} from '@switchboard/plugin-sdk';
export type {
  CallLookup,
  CallUpdates,
  CampaignSource,
  Capability,
  HistorySource,
  NumberProvisioning,
  NumberSource,
  ProviderAdapter,
  ProviderConnection,
  ReportSource,
  WebhookReceiver,
  WebhookRegistrar,
  WithCapability,
} from '@switchboard/plugin-sdk';
