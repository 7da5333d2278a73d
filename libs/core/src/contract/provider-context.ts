// Moved to @switchboard/plugin-sdk (src/contract/provider-context.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export type {
  ProviderContext,
  ProviderHttpRequest,
  ProviderHttpResponse,
  ProviderHttpClient,
  PluginLogger,
} from '@switchboard/plugin-sdk';
