/** A webhook request as the ingress received it, handed to a plugin for verification and mapping. */
export interface InboundWebhook {
  method: string;
  /** Header names lower-cased. Credentials and secrets are stripped before the mapper sees them. */
  headers: Readonly<Record<string, string>>;
  /** Query string values; repeated keys become arrays. Secret-bearing keys are stripped for mapping. */
  query: Readonly<Record<string, string | string[]>>;
  contentType?: string;
  /** The body exactly as received (signature checks need the bytes). */
  rawBody: Buffer;
  /** JSON or form body parsed into an object; undefined for an empty body. */
  body: unknown;
  receivedAt: Date;
  /** Address the request came from, after trusted-proxy resolution. */
  sourceIp?: string;
}

/**
 * How a connection proves its webhooks are genuine. Providers in this space cannot sign
 * (none of the three does), so a shared token is the usual choice; HMAC is for relays and
 * plugins that can sign; the IP allowlist can be combined with either.
 */
export type VerificationScheme = 'hmac' | 'token' | 'none';

export interface WebhookVerificationSettings {
  scheme: VerificationScheme;
  /** For `token`: query parameter that carries the token (default "token"). */
  tokenQueryParam?: string;
  /** For `token`: header that carries the token (default "x-switchboard-token"). */
  tokenHeader?: string;
  /** For `hmac`: accepted clock skew in seconds (default 300). */
  toleranceSeconds?: number;
}

export interface VerificationResult {
  ok: boolean;
  /** Stable reason code when not ok (see SignatureError codes). */
  reason?: string;
  /** Which of the active secrets matched (0 = newest); useful while rotating. */
  secretIndex?: number;
}

/** Cheap facts the ingress reads from a webhook before queueing it. */
export interface WebhookDescription {
  /** Provider's event id, when the payload carries one; used to drop redeliveries. */
  eventId?: string;
  /** Low-cardinality event name for metrics and filtering (e.g. "call.completed"). */
  eventType?: string;
}

/** One URL/header/body template an operator pastes into the provider's UI for one trigger. */
export interface WebhookTemplate {
  /** Our trigger name: incoming, answered, completed, converted, payout, recording... */
  trigger: string;
  /** The provider's own name for the trigger ("Fire Pixel On: Connected", "call_ended"...). */
  providerTrigger: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** Body template with the provider's tokens, when the provider sends one. */
  body?: string;
  contentType?: string;
  notes?: string;
}

export interface WebhookConfig {
  /**
   * The public URL of this connection's webhook endpoint (`.../webhooks/:provider/:connectionId`),
   * without any token. Plugins add the token where the provider can carry it (query parameter
   * `token` by default, or the `x-switchboard-token` header).
   */
  url: string;
  /** Current secret (token or HMAC key). */
  secret: string;
  /** Our triggers to register; all supported ones when omitted. */
  triggers?: string[];
}

export interface WebhookRegistration {
  /** Provider-side id(s) of what was created, to unregister later. */
  id: string;
  triggers: string[];
  providerData?: Record<string, unknown>;
}
