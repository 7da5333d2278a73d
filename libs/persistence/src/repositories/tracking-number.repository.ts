import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

export interface TrackingNumberRow {
  id: string;
  connection_id: string;
  provider: string;
  external_id: string;
  number: string;
  campaign_external_id: string | null;
  is_toll_free: boolean | null;
  provider_data: Record<string, unknown>;
  released_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface TrackingNumberInput {
  externalId: string;
  number: string;
  campaignExternalId?: string;
  isTollFree?: boolean;
  providerData: unknown;
}

/** The `tracking_numbers` table: a connection's numbers as last read from (or bought at) its provider. */
@Injectable()
export class TrackingNumberRepository {
  constructor(private readonly pool: DatabasePool) {}

  /** Stores numbers the provider listed or provisioned (a listed number is not released). */
  async upsertMany(
    connectionId: string,
    provider: string,
    numbers: readonly TrackingNumberInput[],
  ): Promise<TrackingNumberRow[]> {
    if (numbers.length === 0) return [];
    const { rows } = await this.pool.query<TrackingNumberRow>(
      `INSERT INTO tracking_numbers (connection_id, provider, external_id, number, campaign_external_id, is_toll_free, provider_data)
       SELECT $1, $2, x.external_id, x.number, x.campaign_external_id, x.is_toll_free, COALESCE(x.provider_data, '{}')
       FROM jsonb_to_recordset($3::jsonb)
         AS x(external_id text, number text, campaign_external_id text, is_toll_free boolean, provider_data jsonb)
       ON CONFLICT (connection_id, external_id) DO UPDATE
         SET number = EXCLUDED.number, campaign_external_id = EXCLUDED.campaign_external_id,
             is_toll_free = EXCLUDED.is_toll_free, provider_data = EXCLUDED.provider_data,
             released_at = NULL, updated_at = now()
       RETURNING *`,
      [
        connectionId,
        provider,
        JSON.stringify(
          numbers.map((n) => ({
            external_id: n.externalId.slice(0, 255),
            number: n.number.slice(0, 32),
            campaign_external_id: n.campaignExternalId?.slice(0, 255) ?? null,
            is_toll_free: n.isTollFree ?? null,
            provider_data: n.providerData ?? {},
          })),
        ),
      ],
    );
    return rows;
  }

  async listForConnection(
    connectionId: string,
    options: { includeReleased?: boolean } = {},
  ): Promise<TrackingNumberRow[]> {
    const { rows } = await this.pool.query<TrackingNumberRow>(
      `SELECT * FROM tracking_numbers WHERE connection_id = $1 ${options.includeReleased ? '' : 'AND released_at IS NULL'}
       ORDER BY number, external_id`,
      [connectionId],
    );
    return rows;
  }

  async markReleased(connectionId: string, externalId: string): Promise<TrackingNumberRow | undefined> {
    const { rows } = await this.pool.query<TrackingNumberRow>(
      `UPDATE tracking_numbers SET released_at = COALESCE(released_at, now()), updated_at = now()
       WHERE connection_id = $1 AND external_id = $2 RETURNING *`,
      [connectionId, externalId],
    );
    return rows[0];
  }
}
