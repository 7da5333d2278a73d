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
 * What every adapter does, whatever its provider offers: prove the credentials work.
 * `validateCredentials` is optional: the platform answers it from `authenticate` (see
 * `validateAdapterCredentials`); write it only when the provider has a cheaper check.
 */
export interface ProviderConnection {
  /** Checks the credentials against the provider; throws CredentialsError when refused. */
  authenticate(): Promise<void>;
  /** Like authenticate, but answers false for refused credentials instead of throwing. */
  validateCredentials?(): Promise<boolean>;
}

/** The provider sends webhooks (pixels, postbacks) the platform receives, verifies and maps. */
export interface WebhookReceiver {
  /** The exact templates an operator pastes into the provider, one per trigger. */
  webhookTemplates(config: WebhookConfig): WebhookTemplate[];
  /** Reads event id and type without full mapping (called on the ingress hot path). */
  describeWebhook(request: InboundWebhook): WebhookDescription;
  /** Maps a webhook to a normalized call event; throws MappingError naming the missing field. */
  mapWebhook(request: InboundWebhook): NormalizedCallEvent;
  /**
   * Optional provider-specific verification. When present it replaces the connection's scheme
   * (token / Standard Webhooks HMAC); a throw counts as a refusal.
   */
  verifyWebhook?(request: InboundWebhook, secrets: readonly string[]): VerificationResult;
}

/** The provider lists past calls by start time: the platform syncs and backfills from it. */
export interface HistorySource {
  /** One page of calls started in `[from, to)`; pass the returned cursor back for the next page. */
  getCalls(filters: CallFilters, cursor?: string): Promise<CallPage>;
}

/** The provider returns one call by its id: the calls API reads through to it. */
export interface CallLookup {
  /** The same normalized call getCalls returns; an unknown id rejects with ProviderError `not_found`. */
  getCall(externalId: string): Promise<NormalizedCall>;
}

/** The provider takes conversion / revenue postbacks. */
export interface CallUpdates {
  updateCall(externalId: string, update: CallUpdate): Promise<NormalizedCall>;
}

/** The provider lists its tracking numbers. */
export interface NumberSource {
  getNumbers(): Promise<TrackingNumber[]>;
}

/** The provider buys and releases tracking numbers through its API. */
export interface NumberProvisioning {
  provisionNumber(options: NumberOptions): Promise<TrackingNumber>;
  releaseNumber(externalId: string): Promise<void>;
}

/** The provider lists campaigns and returns one by id. */
export interface CampaignSource {
  getCampaigns(): Promise<Campaign[]>;
  getCampaign(externalId: string): Promise<Campaign>;
}

/** The provider computes call totals itself (they must agree with getCalls over the same window). */
export interface ReportSource {
  getCallReport(from: Date, to: Date): Promise<CallReport>;
}

/** The provider registers webhooks through its API (otherwise the operator pastes the templates). */
export interface WebhookRegistrar {
  registerWebhook(config: WebhookConfig): Promise<WebhookRegistration>;
  unregisterWebhook(registrationId: string): Promise<void>;
}

/**
 * Capability name -> the methods an adapter must have for it. An adapter has a capability when
 * its class (prototype) has every one of them; some but not all is a manifest error naming the
 * missing method. `verifyWebhook` and `validateCredentials` are optional members, not capabilities.
 */
export const CAPABILITY_METHODS = {
  webhooks: ['webhookTemplates', 'describeWebhook', 'mapWebhook'],
  history: ['getCalls'],
  callLookup: ['getCall'],
  callUpdates: ['updateCall'],
  numbers: ['getNumbers'],
  numberProvisioning: ['provisionNumber', 'releaseNumber'],
  campaigns: ['getCampaigns', 'getCampaign'],
  reports: ['getCallReport'],
  webhookRegistration: ['registerWebhook', 'unregisterWebhook'],
} as const satisfies Record<string, readonly string[]>;

export type Capability = keyof typeof CAPABILITY_METHODS;

/** Every capability, in a stable order (API views, docs, the conformance kit). */
export const CAPABILITIES = Object.keys(CAPABILITY_METHODS) as Capability[];

/** Capability name -> the interface that provides it. */
export interface CapabilityInterfaces {
  webhooks: WebhookReceiver;
  history: HistorySource;
  callLookup: CallLookup;
  callUpdates: CallUpdates;
  numbers: NumberSource;
  numberProvisioning: NumberProvisioning;
  campaigns: CampaignSource;
  reports: ReportSource;
  webhookRegistration: WebhookRegistrar;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/**
 * What the platform holds for a connection: the connection part plus whichever capabilities the
 * plugin implements. Ask `hasCapability(adapter, 'history')` before calling `getCalls`.
 */
export type ProviderAdapter = ProviderConnection &
  Partial<UnionToIntersection<CapabilityInterfaces[Capability]>>;

/** An adapter with every capability (what a 1.0 plugin implemented, stubs included). */
export type FullProviderAdapter = ProviderConnection & UnionToIntersection<CapabilityInterfaces[Capability]>;

/** Narrows an adapter to one with `capability`'s methods. */
export type WithCapability<K extends Capability> = ProviderAdapter & CapabilityInterfaces[K];

/** The prototype an adapter class or instance carries its methods on. */
function methodHolder(adapter: unknown): object | undefined {
  if (typeof adapter === 'function') return (adapter as { prototype?: object }).prototype;
  if (typeof adapter === 'object' && adapter !== null) return adapter;
  return undefined;
}

function hasMethod(holder: object, method: string): boolean {
  return typeof (holder as Record<string, unknown>)[method] === 'function';
}

/** Per capability, the methods that are there and the ones missing (for messages). */
export interface CapabilityScan {
  /** Capabilities with every method. */
  complete: Capability[];
  /** Capabilities with some but not all methods: a manifest error. */
  partial: Array<{ capability: Capability; missing: string[] }>;
}

/** Which capabilities an adapter class (or instance) has, by looking at its methods. */
export function scanCapabilities(adapter: unknown): CapabilityScan {
  const holder = methodHolder(adapter);
  const scan: CapabilityScan = { complete: [], partial: [] };
  if (!holder) return scan;
  for (const capability of CAPABILITIES) {
    const methods: readonly string[] = CAPABILITY_METHODS[capability];
    const missing = methods.filter((m) => !hasMethod(holder, m));
    if (missing.length === 0) scan.complete.push(capability);
    else if (missing.length < methods.length) scan.partial.push({ capability, missing });
  }
  return scan;
}

/**
 * The capabilities an adapter class (or instance) implements: those whose methods are all there.
 * This is what the code can do; the platform's effective set also honours a 1.0 manifest's
 * explicit `false` (see `pluginCapabilities`).
 */
export function capabilitiesOf(adapter: unknown): Capability[] {
  return scanCapabilities(adapter).complete;
}

/** True when the adapter has every method of `capability`; narrows its type. */
export function hasCapability<K extends Capability>(
  adapter: ProviderAdapter,
  capability: K,
): adapter is WithCapability<K> {
  const holder = methodHolder(adapter);
  if (!holder) return false;
  return CAPABILITY_METHODS[capability].every((m: string) => hasMethod(holder, m));
}
