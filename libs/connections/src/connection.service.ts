import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  CredentialsError,
  ProviderRegistry,
  pluginFeatureFlags,
  validateAdapterCredentials,
  type WebhookTemplate,
} from '@switchboard/core';
import { AppConfig } from '@switchboard/config';
import { EnvelopeCipher } from '@switchboard/crypto';
import { ConnectionRepository, type ConnectionMode, type ConnectionRecord } from '@switchboard/persistence';
import { ConnectionAdapters } from './connection-adapters.js';
import { ConnectionError } from './connection-errors.js';
import { checkConnectionSettings } from './connection-settings.policy.js';
import { validateCredentials } from './credential-validation.js';

export interface CreateConnectionInput {
  provider: string;
  name: string;
  credentials: Record<string, unknown>;
  mode?: ConnectionMode;
  settings?: Record<string, unknown>;
  ipAllowlist?: string[];
  /** Check the credentials against the provider before saving (default true). */
  validate?: boolean;
}

export interface UpdateConnectionInput {
  name?: string;
  mode?: ConnectionMode;
  active?: boolean;
  settings?: Record<string, unknown>;
  ipAllowlist?: string[];
  credentials?: Record<string, unknown>;
}

/** What the API and CLI show of a connection: never a secret. */
export interface ConnectionView {
  id: string;
  provider: string;
  name: string;
  mode: ConnectionMode;
  active: boolean;
  webhookUrl: string;
  /** Non-secret credential fields in clear, secret ones as "[secret]". */
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
  ipAllowlist: string[];
  activeWebhookSecrets: number;
  keyId: string;
  createdAt: string;
  updatedAt: string;
}

const MAX_ACTIVE_SECRETS = 2;

/** Creating, reading, changing and removing provider connections, with credentials encrypted at rest. */
@Injectable()
export class ConnectionService {
  constructor(
    private readonly repository: ConnectionRepository,
    private readonly registry: ProviderRegistry,
    private readonly cipher: EnvelopeCipher,
    private readonly adapters: ConnectionAdapters,
    private readonly config: AppConfig,
  ) {}

  /** Creates a connection; the returned secret is shown once and never again. */
  async create(input: CreateConnectionInput): Promise<{ connection: ConnectionView; webhookSecret: string }> {
    const manifest = this.manifestOf(input.provider);
    if (!input.name?.trim()) throw new ConnectionError('invalid_request', 'name is required');
    checkConnectionSettings(input.settings, manifest, this.config.allowCustomApiBaseUrls);
    const credentials = validateCredentials(manifest.credentials, input.credentials);
    const secret = newWebhookSecret();
    const record = await this.repository.create({
      providerType: input.provider,
      name: input.name.trim(),
      credentials: this.cipher.encryptJson(credentials),
      webhookSecrets: this.cipher.encryptJson([secret]),
      keyId: this.cipher.activeKeyId,
      settings: input.settings ?? {},
      // What the plugin could do when the connection was made (facts and derived capabilities).
      features: pluginFeatureFlags(manifest),
      ipAllowlist: input.ipAllowlist ?? [],
      mode: input.mode ?? 'live',
    });
    if (input.validate !== false) {
      try {
        await this.checkCredentials(record);
      } catch (error) {
        await this.repository.delete(record.id);
        throw error;
      }
    }
    return { connection: this.view(record), webhookSecret: secret };
  }

  async list(filter: { provider?: string } = {}): Promise<ConnectionView[]> {
    const records = await this.repository.list({ providerType: filter.provider });
    return records.map((r) => this.view(r));
  }

  async get(id: string): Promise<ConnectionView> {
    return this.view(await this.record(id));
  }

  async update(id: string, input: UpdateConnectionInput): Promise<ConnectionView> {
    const current = await this.record(id);
    const manifest = this.manifestOf(current.providerType);
    if (input.settings !== undefined)
      checkConnectionSettings(input.settings, manifest, this.config.allowCustomApiBaseUrls);
    const credentials =
      input.credentials === undefined
        ? undefined
        : this.cipher.encryptJson(validateCredentials(manifest.credentials, input.credentials));
    const updated = await this.repository.update(id, {
      name: input.name?.trim() || undefined,
      mode: input.mode,
      isActive: input.active,
      settings: input.settings,
      ipAllowlist: input.ipAllowlist,
      credentials,
      keyId: credentials ? this.cipher.activeKeyId : undefined,
    });
    this.adapters.forget(id);
    return this.view(updated);
  }

  async remove(id: string): Promise<void> {
    await this.record(id);
    await this.repository.delete(id);
    this.adapters.forget(id);
  }

  /**
   * Issues a new webhook secret. The previous one stays valid (two at most) until
   * `revokePrevious`, so the provider's templates can be updated without dropping events.
   */
  async rotateWebhookSecret(
    id: string,
    options: { keepPrevious?: boolean } = {},
  ): Promise<{ webhookSecret: string }> {
    const current = await this.record(id);
    const secrets = current.webhookSecrets ? this.cipher.decryptJson<string[]>(current.webhookSecrets) : [];
    const secret = newWebhookSecret();
    const next =
      options.keepPrevious === false ? [secret] : [secret, ...secrets].slice(0, MAX_ACTIVE_SECRETS);
    await this.repository.update(id, {
      webhookSecrets: this.cipher.encryptJson(next),
      keyId: this.cipher.activeKeyId,
    });
    this.adapters.forget(id);
    return { webhookSecret: secret };
  }

  /** Drops every secret but the newest, once the provider uses the new one. */
  async revokePreviousWebhookSecrets(id: string): Promise<void> {
    const current = await this.record(id);
    const secrets = current.webhookSecrets ? this.cipher.decryptJson<string[]>(current.webhookSecrets) : [];
    await this.repository.update(id, { webhookSecrets: this.cipher.encryptJson(secrets.slice(0, 1)) });
    this.adapters.forget(id);
  }

  /** The exact templates an operator pastes into the provider, built with the newest secret. */
  async webhookTemplates(id: string): Promise<WebhookTemplate[]> {
    const record = await this.record(id);
    const { capable, webhookSecrets } = this.adapters.forConnection(record);
    return capable('webhooks', 'webhookTemplates').webhookTemplates({
      url: this.adapters.webhookUrl(record.providerType, record.id),
      secret: webhookSecrets[0] ?? '',
    });
  }

  /** Calls the provider with the stored credentials. */
  async validate(id: string): Promise<{ valid: boolean }> {
    const record = await this.record(id);
    const { adapter } = this.adapters.forConnection(record);
    return { valid: await validateAdapterCredentials(adapter) };
  }

  /**
   * Re-wraps every connection's data keys with the active ENCRYPTION_KEYS key; returns how many
   * changed. `onProgress` is told after each connection (done, total), for a progress bar.
   */
  async rewrapAll(onProgress?: (done: number, total: number) => void): Promise<number> {
    let changed = 0;
    const records = await this.repository.list();
    for (const [index, record] of records.entries()) {
      onProgress?.(index, records.length);
      if (
        record.keyId === this.cipher.activeKeyId &&
        this.cipher.keyIdOf(record.credentials) === record.keyId
      )
        continue;
      await this.repository.update(record.id, {
        credentials: this.cipher.rewrap(record.credentials),
        webhookSecrets: record.webhookSecrets ? this.cipher.rewrap(record.webhookSecrets) : undefined,
        keyId: this.cipher.activeKeyId,
      });
      changed++;
    }
    onProgress?.(records.length, records.length);
    return changed;
  }

  private async checkCredentials(record: ConnectionRecord): Promise<void> {
    const { adapter } = this.adapters.forConnection(record);
    try {
      await adapter.authenticate();
    } catch (error) {
      if (error instanceof CredentialsError) {
        throw new ConnectionError(
          'credentials_refused',
          `${record.providerType} refused the credentials: ${error.message}`,
        );
      }
      throw error;
    }
  }

  private async record(id: string): Promise<ConnectionRecord> {
    const record = isUuid(id) ? await this.repository.findById(id) : null;
    if (!record) throw new ConnectionError('connection_not_found', `no connection ${id}`);
    return record;
  }

  private manifestOf(provider: string) {
    if (!this.registry.has(provider)) {
      const known = this.registry.list().map((p) => p.manifest.provider);
      throw new ConnectionError(
        'unknown_provider',
        `no plugin is loaded for provider "${provider}" (loaded: ${known.join(', ') || 'none'})`,
      );
    }
    return this.registry.manifest(provider);
  }

  private view(record: ConnectionRecord): ConnectionView {
    const secretFields = this.registry.has(record.providerType)
      ? new Set(this.registry.manifest(record.providerType).secretCredentialFields)
      : undefined;
    let credentials: Record<string, string>;
    try {
      const plain = this.cipher.decryptJson<Record<string, unknown>>(record.credentials);
      credentials = Object.fromEntries(
        Object.entries(plain).map(([k, v]) => [
          k,
          !secretFields || secretFields.has(k) ? '[secret]' : String(v),
        ]),
      );
    } catch {
      credentials = { error: 'cannot be decrypted with the configured ENCRYPTION_KEYS' };
    }
    let activeSecrets: number;
    try {
      activeSecrets = record.webhookSecrets
        ? this.cipher.decryptJson<string[]>(record.webhookSecrets).length
        : 0;
    } catch {
      activeSecrets = 0;
    }
    return {
      id: record.id,
      provider: record.providerType,
      name: record.name,
      mode: record.mode,
      active: record.isActive,
      webhookUrl: this.adapters.webhookUrl(record.providerType, record.id),
      credentials,
      settings: (record.settings ?? {}) as Record<string, unknown>,
      ipAllowlist: record.ipAllowlist,
      activeWebhookSecrets: activeSecrets,
      keyId: record.keyId,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
  }
}

/** 32 random bytes, URL-safe (the secret often travels in a query string). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
