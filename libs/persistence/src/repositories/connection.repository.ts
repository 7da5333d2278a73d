import { Injectable } from '@nestjs/common';
import type { ConnectionMode, ProviderConnection } from '../generated/prisma/client.js';
import { DatabasePool } from '../database/database-pool.js';

export type ConnectionRecord = ProviderConnection;

export interface NewConnection {
  providerType: string;
  name: string;
  credentials: string;
  webhookSecrets: string;
  keyId: string;
  settings: Record<string, unknown>;
  features: Record<string, unknown>;
  ipAllowlist: string[];
  mode: ConnectionMode;
}

export type ConnectionChanges = Partial<
  Pick<
    NewConnection,
    'name' | 'credentials' | 'webhookSecrets' | 'keyId' | 'settings' | 'ipAllowlist' | 'mode'
  >
> & { isActive?: boolean };

/** The record's fields (Prisma's model names) from provider_connections' columns. */
const RECORD = `id, provider_type AS "providerType", name, credentials, webhook_secrets AS "webhookSecrets",
  key_id AS "keyId", settings, features, COALESCE(ip_allowlist, ARRAY[]::text[]) AS "ipAllowlist", mode, is_active AS "isActive",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Column and SQL type of each field an update may change. */
const CHANGEABLE: Record<keyof ConnectionChanges, [column: string, type: string]> = {
  name: ['name', 'text'],
  credentials: ['credentials', 'text'],
  webhookSecrets: ['webhook_secrets', 'text'],
  keyId: ['key_id', 'text'],
  settings: ['settings', 'jsonb'],
  ipAllowlist: ['ip_allowlist', 'text[]'],
  mode: ['mode', 'connection_mode'],
  isActive: ['is_active', 'boolean'],
};

/**
 * Storage of provider connections. Values in `credentials` and `webhookSecrets` are encrypted
 * envelopes. Plain SQL on the shared pool rather than Prisma: the worker reads connections and
 * nothing else Prisma serves, and without Prisma's client loaded it runs in ~75 MB less memory.
 */
@Injectable()
export class ConnectionRepository {
  constructor(private readonly pool: DatabasePool) {}

  async create(data: NewConnection): Promise<ConnectionRecord> {
    const { rows } = await this.pool.query<ConnectionRecord>(
      `INSERT INTO provider_connections
         (provider_type, name, credentials, webhook_secrets, key_id, settings, features, ip_allowlist, mode)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[], $9::connection_mode)
       RETURNING ${RECORD}`,
      [
        data.providerType,
        data.name,
        data.credentials,
        data.webhookSecrets,
        data.keyId,
        JSON.stringify(data.settings),
        JSON.stringify(data.features),
        data.ipAllowlist,
        data.mode,
      ],
    );
    return rows[0];
  }

  async findById(id: string): Promise<ConnectionRecord | null> {
    const { rows } = await this.pool.query<ConnectionRecord>(
      `SELECT ${RECORD} FROM provider_connections WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async list(filter: { providerType?: string; activeOnly?: boolean } = {}): Promise<ConnectionRecord[]> {
    const { rows } = await this.pool.query<ConnectionRecord>(
      `SELECT ${RECORD} FROM provider_connections
       WHERE ($1::text IS NULL OR provider_type = $1) AND ($2::boolean IS NOT TRUE OR is_active)
       ORDER BY created_at, id`,
      [filter.providerType ?? null, filter.activeOnly ?? false],
    );
    return rows;
  }

  /** Changes the fields given (an undefined field is left as it is). */
  async update(id: string, changes: ConnectionChanges): Promise<ConnectionRecord> {
    const values: unknown[] = [id];
    const sets = ['updated_at = now()'];
    for (const [field, [column, type]] of Object.entries(CHANGEABLE)) {
      const value = changes[field as keyof ConnectionChanges];
      if (value === undefined) continue;
      values.push(type === 'jsonb' ? JSON.stringify(value) : value);
      sets.push(`${column} = $${values.length}::${type}`);
    }
    const { rows } = await this.pool.query<ConnectionRecord>(
      `UPDATE provider_connections SET ${sets.join(', ')} WHERE id = $1 RETURNING ${RECORD}`,
      values,
    );
    if (!rows[0]) throw new Error(`no connection ${id}`);
    return rows[0];
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM provider_connections WHERE id = $1', [id]);
  }
}
