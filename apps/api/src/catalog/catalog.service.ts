import { Injectable, NotFoundException } from '@nestjs/common';
import { ConnectionAdapters } from '@switchboard/connections';
import {
  CampaignRepository,
  TrackingNumberRepository,
  type CampaignRow,
  type TrackingNumberRow,
} from '@switchboard/persistence';
import type { ProvisionNumberDto } from './catalog.dto.js';

/** How long a provider's campaign or number list is served from the tables before it is read again. */
export const CATALOG_TTL_MS = 60_000;

export interface CampaignView {
  id: string;
  externalId: string;
  name: string;
  active: boolean;
  updatedAt: string;
}

export interface TrackingNumberView {
  id: string;
  externalId: string;
  number: string;
  campaignExternalId: string | null;
  tollFree: boolean | null;
  releasedAt: string | null;
  updatedAt: string;
}

/**
 * A connection's campaigns and tracking numbers, read from its provider through the plugin and kept
 * in the campaigns / tracking_numbers tables. A list is read from the provider at most once a
 * minute per connection and process (the tables answer in between, ?refresh=true forces a read).
 * Provisioning and releasing numbers go to the provider first. An operation whose capability the
 * plugin does not implement (CampaignSource, NumberSource, NumberProvisioning) answers 501
 * not_supported naming the capability, before anything is asked of the provider.
 */
@Injectable()
export class CatalogService {
  private readonly fetchedAt = new Map<string, number>();

  constructor(
    private readonly adapters: ConnectionAdapters,
    private readonly campaigns: CampaignRepository,
    private readonly numbers: TrackingNumberRepository,
  ) {}

  async listCampaigns(connectionId: string, refresh = false): Promise<CampaignView[]> {
    const { connection, capable } = await this.adapters.forId(checkedId(connectionId));
    const source = capable('campaigns', 'getCampaigns');
    if (refresh || this.stale(`campaigns:${connectionId}`)) {
      const listed = await source.getCampaigns();
      await this.campaigns.upsertMany(connectionId, connection.providerType, listed);
      this.fetchedAt.set(`campaigns:${connectionId}`, Date.now());
    }
    return (await this.campaigns.listForConnection(connectionId)).map(toCampaignView);
  }

  async listNumbers(connectionId: string, refresh = false): Promise<TrackingNumberView[]> {
    const { connection, capable } = await this.adapters.forId(checkedId(connectionId));
    const source = capable('numbers', 'getNumbers');
    if (refresh || this.stale(`numbers:${connectionId}`)) {
      const listed = await source.getNumbers();
      await this.numbers.upsertMany(connectionId, connection.providerType, listed);
      this.fetchedAt.set(`numbers:${connectionId}`, Date.now());
    }
    return (await this.numbers.listForConnection(connectionId)).map(toNumberView);
  }

  async provision(connectionId: string, options: ProvisionNumberDto): Promise<TrackingNumberView> {
    const { connection, capable } = await this.adapters.forId(checkedId(connectionId));
    const number = await capable('numberProvisioning', 'provisionNumber').provisionNumber({
      countryCode: options.countryCode ?? 'US',
      areaCode: options.areaCode,
      tollFree: options.tollFree,
      campaignExternalId: options.campaignExternalId,
    });
    const [row] = await this.numbers.upsertMany(connectionId, connection.providerType, [number]);
    return toNumberView(row as TrackingNumberRow);
  }

  async release(connectionId: string, externalId: string): Promise<void> {
    const { capable } = await this.adapters.forId(checkedId(connectionId));
    await capable('numberProvisioning', 'releaseNumber').releaseNumber(externalId);
    await this.numbers.markReleased(connectionId, externalId);
  }

  private stale(key: string): boolean {
    const at = this.fetchedAt.get(key);
    return at === undefined || Date.now() - at > CATALOG_TTL_MS;
  }
}

function checkedId(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new NotFoundException({ error: 'connection_not_found', message: `no connection ${id}` });
  }
  return id;
}

function toCampaignView(row: CampaignRow): CampaignView {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    active: row.is_active,
    updatedAt: row.updated_at.toISOString(),
  };
}

function toNumberView(row: TrackingNumberRow): TrackingNumberView {
  return {
    id: row.id,
    externalId: row.external_id,
    number: row.number,
    campaignExternalId: row.campaign_external_id,
    tollFree: row.is_toll_free,
    releasedAt: row.released_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}
