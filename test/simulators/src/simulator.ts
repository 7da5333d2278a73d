/**
 * A provider simulator: a real HTTP server on loopback that implements the subset of the
 * provider's API the plugin uses (auth, paging, error bodies, 429 + Retry-After, injectable
 * faults) and fires the provider's webhooks/pixels at a Switchboard URL, rendered from the same
 * templates the plugin hands out. Seeded and deterministic: the same seed gives the same calls.
 */
export interface SimulatorOptions {
  /** Seed for the generated calls. */
  seed?: number;
  /** Number of historical calls the API serves. */
  historyCalls?: number;
  /**
   * End of the generated history (each simulator has a fixed default, so a seed always gives the
   * same calls; the quick start passes "now" so the scheduled sync finds the history).
   */
  historyEnd?: Date;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
}

/** Faults the next API requests suffer, for failure tests. Counters decrease as they fire. */
export interface SimulatorFaults {
  /** Answer the next N API requests with 500/503. */
  serverErrors?: number;
  /** Answer the next N API requests with 429 and this Retry-After (seconds). */
  rateLimited?: number;
  retryAfterSeconds?: number;
  /** Delay every API answer by this many ms. */
  latencyMs?: number;
  /** Return N malformed rows inside the next list page. */
  malformedRows?: number;
}

/** Where to send webhooks: the connection's endpoint and the secret the templates embed. */
export interface WebhookTarget {
  /** Public webhook URL of the connection (`.../webhooks/:provider/:connectionId`). */
  webhookUrl: string;
  /** The connection's current webhook secret (token). */
  secret: string;
}

export interface FiredWebhook {
  trigger: string;
  status: number;
  callId: string;
}

export interface ProviderSimulator {
  readonly provider: string;
  /** Base URL of the simulated API (use as the connection's apiBaseUrl). */
  readonly baseUrl: string;
  /** Credentials the simulated API accepts, in the plugin's credential DTO shape. */
  readonly credentials: Record<string, string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Arms faults for the next requests. */
  injectFaults(faults: SimulatorFaults): void;
  /** Number of API requests served (by path) — lets tests assert paging and retries. */
  requestCount(pathPrefix?: string): number;
  /**
   * Simulates one live call: adds it to the history and fires every trigger of its lifecycle
   * (incoming -> answered -> completed -> converted...) at the target, in the provider's format.
   */
  simulateCall(target: WebhookTarget, overrides?: Record<string, unknown>): Promise<FiredWebhook[]>;
}
