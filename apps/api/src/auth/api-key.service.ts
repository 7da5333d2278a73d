import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { PrismaService } from '@switchboard/persistence';

export type Scope = 'read' | 'admin';

export interface Principal {
  kind: 'admin-token' | 'api-key' | 'open';
  scopes: Scope[];
  keyId?: string;
}

/**
 * API keys for host applications (`sk_<prefix>_<secret>`; only a SHA-256 hash is stored) and the
 * operator's ADMIN_TOKEN. Without ADMIN_TOKEN outside production the API is open, for local use.
 */
@Injectable()
export class ApiKeyService {
  private readonly adminTokenHash?: Buffer;

  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
  ) {
    this.adminTokenHash = config.adminToken ? sha256(config.adminToken) : undefined;
  }

  get isOpen(): boolean {
    return !this.adminTokenHash && this.config.nodeEnv !== 'production';
  }

  async authenticate(presented: string | undefined): Promise<Principal | undefined> {
    if (!presented) return this.isOpen ? { kind: 'open', scopes: ['read', 'admin'] } : undefined;
    const digest = sha256(presented);
    if (this.adminTokenHash && timingSafeEqual(digest, this.adminTokenHash)) {
      return { kind: 'admin-token', scopes: ['read', 'admin'] };
    }
    if (!presented.startsWith('sk_')) return undefined;
    const key = await this.prisma.apiKey.findUnique({ where: { keyHash: digest.toString('hex') } });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt < new Date())) return undefined;
    void this.prisma.apiKey
      .update({ where: { id: key.id }, data: { lastUsedAt: new Date() } })
      .catch(() => undefined);
    return { kind: 'api-key', scopes: key.scopes as Scope[], keyId: key.id };
  }

  /** Creates a key; the full key is returned once. */
  async create(
    name: string,
    scopes: Scope[],
    expiresAt?: Date,
  ): Promise<{ id: string; key: string; prefix: string }> {
    const prefix = randomBytes(4).toString('hex');
    const key = `sk_${prefix}_${randomBytes(24).toString('base64url')}`;
    const row = await this.prisma.apiKey.create({
      data: { name, prefix, keyHash: sha256(key).toString('hex'), scopes, expiresAt },
    });
    return { id: row.id, key, prefix };
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
