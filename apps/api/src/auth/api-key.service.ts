import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { ApiKeyRepository, hashApiKey, type ApiKeyRecord, type ApiKeyScope } from '@switchboard/persistence';

export type Scope = ApiKeyScope;

export interface Principal {
  kind: 'admin-token' | 'api-key' | 'open';
  scopes: Scope[];
  keyId?: string;
}

/** Each scope includes the ones below it: admin can do everything, write can also read. */
const IMPLIED: Record<Scope, Scope[]> = {
  read: ['read'],
  write: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
};

/** How long a key lookup is reused in this process (a revoked key stops working elsewhere within this). */
const KEY_CACHE_MS = 5_000;
const KEY_CACHE_MAX = 10_000;

/**
 * API keys for host applications (`sk_<prefix>_<secret>`; only a SHA-256 hash is stored, through
 * ApiKeyRepository) and the operator's ADMIN_TOKEN. Without ADMIN_TOKEN outside production the
 * API is open, for local use (and loadConfig then binds it to loopback).
 */
@Injectable()
export class ApiKeyService {
  private readonly adminTokenHash?: Buffer;
  private readonly recent = new Map<string, { until: number; record: ApiKeyRecord | undefined }>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly config: AppConfig,
  ) {
    this.adminTokenHash = config.adminToken ? sha256(config.adminToken) : undefined;
  }

  get isOpen(): boolean {
    return !this.adminTokenHash && this.config.nodeEnv !== 'production';
  }

  async authenticate(presented: string | undefined): Promise<Principal | undefined> {
    if (!presented) return this.isOpen ? { kind: 'open', scopes: IMPLIED.admin } : undefined;
    if (this.adminTokenHash && timingSafeEqual(sha256(presented), this.adminTokenHash)) {
      return { kind: 'admin-token', scopes: IMPLIED.admin };
    }
    if (!presented.startsWith('sk_') || presented.length > 200) return undefined;
    const record = await this.lookup(hashApiKey(presented));
    if (!record || (record.expiresAt && record.expiresAt <= new Date())) return undefined;
    const scopes = [...new Set(record.scopes.flatMap((s) => IMPLIED[s]))];
    return { kind: 'api-key', scopes, keyId: record.id };
  }

  /** Creates a key; the full key is returned once. */
  async create(
    name: string,
    scopes: Scope[],
    expiresAt?: Date,
  ): Promise<{ id: string; key: string; prefix: string; record: ApiKeyRecord }> {
    const { record, key } = await this.keys.create({ name, scopes, expiresAt });
    return { id: record.id, key, prefix: record.prefix, record };
  }

  list(includeRevoked = false): Promise<ApiKeyRecord[]> {
    return this.keys.list({ includeRevoked });
  }

  async revoke(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    const record = await this.keys.revoke(idOrPrefix);
    this.recent.clear();
    return record;
  }

  private async lookup(hash: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const cached = this.recent.get(hash);
    if (cached && cached.until > now) return cached.record;
    const record = await this.keys.findUsable(hash);
    if (this.recent.size >= KEY_CACHE_MAX) this.recent.clear();
    this.recent.set(hash, { until: now + KEY_CACHE_MS, record });
    return record;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
