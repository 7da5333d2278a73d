import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

export interface CampaignRow {
  id: string;
  connection_id: string;
  provider: string;
  external_id: string;
  name: string;
  is_active: boolean;
  provider_data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** The `campaigns` table: a connection's campaigns as last read from its provider. */
@Injectable()
export class CampaignRepository {
  constructor(private readonly pool: DatabasePool) {}

  /** Stores what the provider listed (insert or update by connection + external id), in one statement. */
  async upsertMany(
    connectionId: string,
    provider: string,
    campaigns: ReadonlyArray<{ externalId: string; name: string; isActive?: boolean; providerData: unknown }>,
  ): Promise<CampaignRow[]> {
    if (campaigns.length === 0) return [];
    const { rows } = await this.pool.query<CampaignRow>(
      `INSERT INTO campaigns (connection_id, provider, external_id, name, is_active, provider_data)
       SELECT $1, $2, x.external_id, x.name, COALESCE(x.is_active, true), COALESCE(x.provider_data, '{}')
       FROM jsonb_to_recordset($3::jsonb) AS x(external_id text, name text, is_active boolean, provider_data jsonb)
       ON CONFLICT (connection_id, external_id) DO UPDATE
         SET name = EXCLUDED.name, is_active = EXCLUDED.is_active, provider_data = EXCLUDED.provider_data,
             updated_at = now()
       RETURNING *`,
      [
        connectionId,
        provider,
        JSON.stringify(
          campaigns.map((c) => ({
            external_id: c.externalId.slice(0, 255),
            name: (c.name || c.externalId).slice(0, 255),
            is_active: c.isActive ?? null,
            provider_data: c.providerData ?? {},
          })),
        ),
      ],
    );
    return rows;
  }

  async listForConnection(connectionId: string): Promise<CampaignRow[]> {
    const { rows } = await this.pool.query<CampaignRow>(
      'SELECT * FROM campaigns WHERE connection_id = $1 ORDER BY name, external_id',
      [connectionId],
    );
    return rows;
  }
}
