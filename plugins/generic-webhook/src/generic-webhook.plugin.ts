import { CallTrackingPlugin } from '@switchboard/plugin-sdk';
import { GenericWebhookAdapter } from './generic-webhook.adapter.js';
import { GENERIC_WEBHOOK, TOKEN_HEADER, TOKEN_QUERY_PARAM } from './generic-webhook.constants.js';
import {
  GenericWebhookCredentials,
  GENERIC_WEBHOOK_SECRET_CREDENTIAL_FIELDS,
} from './generic-webhook.credentials.js';
import { mappingProblems } from './mapping/mapping-settings.js';

/**
 * The generic webhook plugin: any system that can send an HTTP request, described by a mapping in
 * the connection's settings instead of code. Webhooks only (no API to sync from).
 */
@CallTrackingPlugin({
  provider: GENERIC_WEBHOOK,
  displayName: 'Generic webhook',
  version: '0.1.0',
  // 1.1: capability interfaces (webhooks only, no stubs) and validateSettings.
  compatibility: '^1.1.0',
  // Senders post while the call is live as often as after it ends; what they send is theirs to say.
  features: { realtime: true },
  credentials: GenericWebhookCredentials,
  secretCredentialFields: GENERIC_WEBHOOK_SECRET_CREDENTIAL_FIELDS,
  adapter: GenericWebhookAdapter,
  // Nothing is called (no API, no sync), so there is no request budget to keep.
  rateLimits: {},
  // A shared token works with any sender; HMAC (Standard Webhooks) for senders that can sign.
  webhooks: { schemes: ['token', 'hmac'], tokenQueryParam: TOKEN_QUERY_PARAM, tokenHeader: TOKEN_HEADER },
  validateSettings: mappingProblems,
})
export class GenericWebhookPlugin {}
