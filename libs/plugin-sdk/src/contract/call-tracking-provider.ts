import type {
  CallFilters,
  CallPage,
  CallReport,
  CallUpdate,
  Campaign,
  NormalizedCall,
  NormalizedCallEvent,
  NumberOptions,
  TrackingNumber,
} from './normalized-call.js';
import type {
  InboundWebhook,
  VerificationResult,
  WebhookConfig,
  WebhookDescription,
  WebhookRegistration,
  WebhookTemplate,
} from './webhook.js';

/**
 * The adapter contract every provider plugin implements, one instance per connection
 * (the seed plan's ICallTrackingProvider). An operation the provider lacks throws
 * NotSupportedError, and the manifest's feature flags say so up front.
 */
export interface CallTrackingProvider {
  /** Checks the credentials against the provider; throws CredentialsError when refused. */
  authenticate(): Promise<void>;
  /** Like authenticate, but answers false for refused credentials instead of throwing. */
  validateCredentials(): Promise<boolean>;

  getCall(externalId: string): Promise<NormalizedCall>;
  /** One page of calls in the window; pass the returned cursor back for the next page. */
  getCalls(filters: CallFilters, cursor?: string): Promise<CallPage>;
  updateCall(externalId: string, update: CallUpdate): Promise<NormalizedCall>;

  registerWebhook(config: WebhookConfig): Promise<WebhookRegistration>;
  unregisterWebhook(registrationId: string): Promise<void>;
  /** The exact templates an operator pastes into the provider, one per trigger. */
  webhookTemplates(config: WebhookConfig): WebhookTemplate[];
  /**
   * Optional provider-specific verification. When absent the platform applies the connection's
   * configured scheme (token / Standard Webhooks HMAC / IP allowlist).
   */
  verifyWebhook?(request: InboundWebhook, secrets: readonly string[]): VerificationResult;
  /** Reads event id and type without full mapping (called on the ingress hot path). */
  describeWebhook(request: InboundWebhook): WebhookDescription;
  /** Maps a webhook to a normalized call event; throws MappingError naming the missing field. */
  mapWebhook(request: InboundWebhook): NormalizedCallEvent;

  provisionNumber(options: NumberOptions): Promise<TrackingNumber>;
  releaseNumber(externalId: string): Promise<void>;
  getNumbers(): Promise<TrackingNumber[]>;

  getCampaign(externalId: string): Promise<Campaign>;
  getCampaigns(): Promise<Campaign[]>;

  getCallReport(from: Date, to: Date): Promise<CallReport>;
}
