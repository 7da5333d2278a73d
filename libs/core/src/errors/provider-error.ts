// Moved to @switchboard/plugin-sdk (src/errors/provider-error.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export {
  ProviderError,
  NotSupportedError,
  MappingError,
  CredentialsError,
  isRetryable,
} from '@switchboard/plugin-sdk';
export type { ProviderErrorOptions } from '@switchboard/plugin-sdk';
