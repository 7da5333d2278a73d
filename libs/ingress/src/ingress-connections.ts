import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { ConnectionAdapters, ConnectionSecretsCheck } from '@switchboard/connections';
import {
  ProviderRegistry,
  connectionWebhookSettings,
  resolveVerificationPolicy,
  verificationKeys,
  type VerificationKeys,
  type WithCapability,
  type WebhookVerificationPolicy,
} from '@switchboard/core';
import { ConnectionRepository, type ConnectionRecord } from '@switchboard/persistence';
import { secretNames, type SecretNames } from './inbound-request.js';

/** Everything the ingress needs about one connection, derived once per cache fill. */
export interface IngressConnection {
  id: string;
  provider: string;
  active: boolean;
  shadow: boolean;
  adapter: WithCapability<'webhooks'>;
  policy: WebhookVerificationPolicy;
  keys: VerificationKeys;
  /** 0 = unlimited. */
  rateLimitPerSecond: number;
  secrets: SecretNames;
}

/**
 * A connection whose stored secrets this process cannot decrypt (wrong ENCRYPTION_KEYS): its
 * webhooks cannot be verified. Cached like any other entry, so the decryption is not retried (and
 * the problem not logged) on every request.
 */
export interface UnreadableIngressConnection {
  id: string;
  provider: string;
  active: boolean;
  unreadable: string;
}

/** How long a connection row is reused. A deactivated connection keeps answering for up to this long. */
export const CONNECTION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Entry {
  /** Until when the value is fresh. */
  expires: number;
  value: Promise<IngressConnection | UnreadableIngressConnection | null>;
  settled: boolean;
  refreshing: boolean;
}

/**
 * Connection rows for the ingress, cached in memory for a few seconds: reading the row per request
 * would cost a query per webhook. Misses (unknown ids) are cached too, so a flood of made-up ids
 * does not become a flood of queries; concurrent requests for the same id share one lookup. When
 * an entry expires, the next request still gets the cached value while one refresh runs in the
 * background (for at most another TTL), so requests never wait for a refresh; expiry times are
 * spread a little so that the connections of a busy process are not all refreshed at once.
 * Adapters and decrypted secrets come from ConnectionAdapters (rebuilt only when the row changes).
 */
@Injectable()
export class IngressConnections {
  private readonly entries = new Map<string, Entry>();
  ttlMs = CONNECTION_CACHE_TTL_MS;

  constructor(
    private readonly repository: ConnectionRepository,
    private readonly adapters: ConnectionAdapters,
    private readonly registry: ProviderRegistry,
    private readonly config: AppConfig,
    private readonly secrets: ConnectionSecretsCheck,
  ) {}

  /** The connection, null when there is none with that id; rejects when the database cannot answer. */
  get(id: string): Promise<IngressConnection | UnreadableIngressConnection | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    const key = id.toLowerCase();
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.expires > now) return cached.value;
    if (cached?.settled && now < cached.expires + this.ttlMs) {
      if (!cached.refreshing) this.refresh(key, cached);
      return cached.value;
    }
    return this.fill(key);
  }

  private fill(key: string): Promise<IngressConnection | UnreadableIngressConnection | null> {
    const value = this.load(key);
    const entry: Entry = { expires: this.expiry(), value, settled: false, refreshing: false };
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
      },
      () => {
        // A failed lookup (database down) is not remembered: the next request asks again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  private refresh(key: string, stale: Entry): void {
    stale.refreshing = true;
    const value = this.load(key);
    value.then(
      () => {
        if (this.entries.get(key) === stale) {
          this.entries.set(key, { expires: this.expiry(), value, settled: true, refreshing: false });
        }
      },
      () => {
        stale.refreshing = false;
      },
    );
  }

  /** Now + TTL, minus up to 10 % so that entries filled together do not expire together. */
  private expiry(): number {
    return Date.now() + this.ttlMs - Math.floor(Math.random() * this.ttlMs * 0.1);
  }

  /** Drops a cached connection (after it was changed or deleted in this process). */
  forget(id: string): void {
    this.entries.delete(id.toLowerCase());
  }

  private async load(id: string): Promise<IngressConnection | UnreadableIngressConnection | null> {
    const record = await this.repository.findById(id);
    // A connection of a provider whose plugin is not loaded, or has no WebhookReceiver, cannot
    // verify or map a webhook: unknown here.
    if (!record || !this.registry.has(record.providerType)) return null;
    if (!this.registry.supports(record.providerType, 'webhooks')) return null;
    try {
      const connection = this.build(record);
      this.secrets.readable(record.id);
      return connection;
    } catch (error) {
      if (!ConnectionSecretsCheck.isUnreadable(error)) throw error;
      return {
        id: record.id,
        provider: record.providerType,
        active: record.isActive,
        unreadable: this.secrets.report(record, error),
      };
    }
  }

  private build(record: ConnectionRecord): IngressConnection {
    const { capable, webhookSecrets } = this.adapters.forConnection(record);
    const adapter = capable('webhooks', 'webhook');
    const manifest = this.registry.manifest(record.providerType);
    const settings = (record.settings ?? {}) as Record<string, unknown>;
    const policy = resolveVerificationPolicy({
      plugin: manifest.webhooks,
      settings,
      ipAllowlist: record.ipAllowlist,
      defaultToleranceSeconds: this.config.webhook.toleranceSeconds,
    });
    const override = connectionWebhookSettings(settings).rateLimitPerSecond;
    return {
      id: record.id,
      provider: record.providerType,
      active: record.isActive,
      shadow: record.mode === 'shadow',
      adapter,
      policy,
      keys: verificationKeys(webhookSecrets),
      rateLimitPerSecond:
        override !== undefined && Number.isFinite(override) && override >= 0
          ? override
          : this.config.webhook.rateLimitPerSecond,
      secrets: secretNames(policy.token.header, policy.token.queryParam),
    };
  }
}
