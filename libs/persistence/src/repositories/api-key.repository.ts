import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/** What an API key may do; each scope includes the ones before it (admin > write > read). */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An `api_keys` row as operators see it: never the key or its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** First characters of the key (`sk_<prefix>_…`), to tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

/** A new key's material: the full key (shown once), its prefix and the SHA-256 hash stored. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString('hex');
  const key = `sk_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** Keys are random 192-bit strings, so a plain SHA-256 is enough (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `lastUsedAt` is written at most this often per key, so busy keys do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const COLUMNS = 'id, name, prefix, scopes, last_used_at, expires_at, revoked_at, created_at';

/** The one way to the `api_keys` table (API authentication, the /api-keys routes, `switchboard keys`). */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly pool: DatabasePool) {}

  /** Stores a new key and returns it with the full key, which is never retrievable again. */
  async create(input: {
    name: string;
    scopes: ApiKeyScope[];
    expiresAt?: Date;
  }): Promise<{ record: ApiKeyRecord; key: string }> {
    const { key, prefix, hash } = newApiKey();
    const { rows } = await this.pool.query<ApiKeyRow>(
      `INSERT INTO api_keys (name, prefix, key_hash, scopes, expires_at)
       VALUES ($1, $2, $3, $4::text[], $5) RETURNING ${COLUMNS}`,
      [input.name, prefix, hash, input.scopes, input.expiresAt ?? null],
    );
    return { record: toRecord(rows[0] as ApiKeyRow), key };
  }

  /** The key with this hash when it is usable (not revoked, not expired); marks it used. */
  async findUsable(hash: string, now = new Date()): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys
       WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
      [hash, now],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      void this.pool
        .query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [row.id, now])
        .catch(() => undefined);
    }
    return toRecord(row);
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM api_keys ${options.includeRevoked ? '' : 'WHERE revoked_at IS NULL'}
       ORDER BY created_at DESC, id DESC`,
    );
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Revokes a key by id or by its prefix; undefined when there is no such key. Revoking twice is fine. */
  async revoke(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
    const { rows } = await this.pool.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
       WHERE ${byId ? 'id = $1::uuid' : 'prefix = $1'} RETURNING ${COLUMNS}`,
      [idOrPrefix],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)),
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}

const DURATION_UNITS_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/**
 * When a key given a lifetime like "90d", "12h", "2w" or "1y" expires; undefined when the text is
 * not such a lifetime (between 1 minute and 10 years).
 */
export function apiKeyExpiry(lifetime: string, now = new Date()): Date | undefined {
  const match = /^(\d{1,5})([mhdwy])$/.exec(lifetime.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (DURATION_UNITS_MS[match[2] as string] as number);
  if (ms < 60_000 || ms > 10 * 31_536_000_000) return undefined;
  return new Date(now.getTime() + ms);
}
