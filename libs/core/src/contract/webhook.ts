// Moved to @switchboard/plugin-sdk (src/contract/webhook.ts), the package plugin authors install;
// re-exported here so the platform's imports keep working.
export type {
  InboundWebhook,
  VerificationScheme,
  WebhookVerificationSettings,
  VerificationResult,
  WebhookDescription,
  WebhookTemplate,
  WebhookConfig,
  WebhookRegistration,
} from '@switchboard/plugin-sdk';
