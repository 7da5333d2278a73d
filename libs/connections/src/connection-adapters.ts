import { Injectable } from '@nestjs/common';
import { RedisClient } from '@switchboard/cache';
import { AppConfig } from '@switchboard/config';
import {
  ProviderRegistry,
  type Capability,
  type ProviderAdapter,
  type ProviderContext,
  type WithCapability,
} from '@switchboard/core';
import { EnvelopeCipher } from '@switchboard/crypto';
import { ProviderHttpMetrics } from '@switchboard/metrics';
import { ConnectionRepository, type ConnectionRecord } from '@switchboard/persistence';
import { RedisRateLimiter, UndiciProviderHttpClient } from '@switchboard/provider-http';
import { ConnectionError } from './connection-errors.js';
import { validateCredentials } from './credential-validation.js';
import { pluginLogger } from './plugin-logger.js';

export interface ConnectionAdapter {
  connection: ConnectionRecord;
  /** The plugin's adapter: ask `capable` for the capability an operation needs. */
  adapter: ProviderAdapter;
  /** What the plugin can do (see ProviderRegistry.capabilities). */
  capabilities: ReadonlySet<Capability>;
  /** Decrypted webhook secrets, newest first. */
  webhookSecrets: string[];
  /**
   * The adapter as one with `capability`, or MissingCapabilityError (the API's 501 not_supported)
   * naming the capability and `operation`.
   */
  capable<K extends Capability>(capability: K, operation: string): WithCapability<K>;
}

/**
 * Builds the plugin adapter of a connection (decrypted credentials, HTTP client with the shared
 * rate limit, logger) and keeps it while the connection row is unchanged, so the hot paths do not
 * decrypt on every webhook.
 */
@Injectable()
export class ConnectionAdapters {
  private readonly cache = new Map<string, { stamp: number; value: ConnectionAdapter }>();
  private readonly rateLimiter: RedisRateLimiter;

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly registry: ProviderRegistry,
    private readonly cipher: EnvelopeCipher,
    private readonly config: AppConfig,
    private readonly metrics: ProviderHttpMetrics,
    redis: RedisClient,
  ) {
    this.rateLimiter = new RedisRateLimiter(redis.redis, redis.prefix);
  }

  webhookUrl(provider: string, connectionId: string): string {
    return `${this.config.publicBaseUrl}/webhooks/${provider}/${connectionId}`;
  }

  async forId(connectionId: string): Promise<ConnectionAdapter> {
    const connection = await this.connections.findById(connectionId);
    if (!connection) throw new ConnectionError('connection_not_found', `no connection ${connectionId}`);
    return this.forConnection(connection);
  }

  forConnection(connection: ConnectionRecord): ConnectionAdapter {
    const stamp = connection.updatedAt.getTime();
    const cached = this.cache.get(connection.id);
    if (cached && cached.stamp === stamp) return cached.value;
    const value = this.build(connection);
    this.cache.set(connection.id, { stamp, value });
    return value;
  }

  forget(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  private build(connection: ConnectionRecord): ConnectionAdapter {
    if (!this.registry.has(connection.providerType)) {
      throw new ConnectionError(
        'unknown_provider',
        `no plugin is loaded for provider "${connection.providerType}"`,
      );
    }
    const manifest = this.registry.manifest(connection.providerType);
    const credentials = validateCredentials(
      manifest.credentials,
      this.cipher.decryptJson(connection.credentials),
    );
    const settings = (connection.settings ?? {}) as Record<string, unknown>;
    const rateLimits = { ...manifest.rateLimits, ...((settings.rateLimits as object | undefined) ?? {}) };
    const context: ProviderContext = {
      connectionId: connection.id,
      provider: connection.providerType,
      credentials,
      settings,
      apiBaseUrl: typeof settings.apiBaseUrl === 'string' ? settings.apiBaseUrl : undefined,
      webhookUrl: this.webhookUrl(connection.providerType, connection.id),
      http: new UndiciProviderHttpClient({
        provider: connection.providerType,
        rateLimitKey: connection.id,
        rateLimits,
        rateLimiter: this.rateLimiter,
        observer: this.metrics,
        logger: pluginLogger(connection.providerType, connection.id),
      }),
      logger: pluginLogger(connection.providerType, connection.id),
      now: () => new Date(),
    };
    const provider = connection.providerType;
    const adapter = this.registry.createAdapter(provider, context);
    return {
      connection,
      adapter,
      capabilities: this.registry.capabilities(provider),
      webhookSecrets: connection.webhookSecrets
        ? this.cipher.decryptJson<string[]>(connection.webhookSecrets)
        : [],
      capable: (capability, operation) => this.registry.require(provider, adapter, capability, operation),
    };
  }
}
