import { RetryPolicy, type PluginLogger, type ProviderContext } from '@switchboard/core';
import { UndiciProviderHttpClient } from '@switchboard/provider-http';

export interface TestContextOptions<C> {
  provider: string;
  credentials: C;
  apiBaseUrl?: string;
  settings?: Record<string, unknown>;
  connectionId?: string;
  webhookUrl?: string;
  /** Attempts for retryable failures (default 3, with millisecond delays so tests stay fast). */
  maxAttempts?: number;
}

export const silentLogger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A ProviderContext wired to the real HTTP client, pointing at a simulator. */
export function createTestProviderContext<C>(options: TestContextOptions<C>): ProviderContext<C> {
  const connectionId = options.connectionId ?? '00000000-0000-4000-8000-000000000001';
  return {
    connectionId,
    provider: options.provider,
    credentials: options.credentials,
    settings: options.settings ?? {},
    apiBaseUrl: options.apiBaseUrl,
    webhookUrl: options.webhookUrl ?? `http://127.0.0.1:3000/webhooks/${options.provider}/${connectionId}`,
    http: new UndiciProviderHttpClient({
      provider: options.provider,
      rateLimitKey: connectionId,
      retryPolicy: new RetryPolicy({ maxAttempts: options.maxAttempts ?? 3, baseDelayMs: 5, maxDelayMs: 50 }),
      defaultTimeoutMs: 5_000,
    }),
    logger: silentLogger,
    now: () => new Date(),
  };
}
