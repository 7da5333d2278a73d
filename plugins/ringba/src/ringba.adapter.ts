import {
  callPage,
  listItems,
  mapRows,
  CredentialsError,
  MappingError,
  NotSupportedError,
  ProviderError,
  readBoolean,
  readNumber,
  readString,
  type CallFilters,
  type CallLookup,
  type CallPage,
  type Campaign,
  type CampaignSource,
  type HistorySource,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type NumberOptions,
  type NumberProvisioning,
  type NumberSource,
  type ProviderConnection,
  type ProviderContext,
  type TrackingNumber,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookReceiver,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import { RingbaApi } from './ringba.api.js';
import {
  RINGBA_CALL_LOG_COLUMNS,
  RINGBA_DEFAULT_PAGE_SIZE,
  RINGBA_MAX_PAGE_SIZE,
  RINGBA_PROVIDER,
} from './ringba.constants.js';
import type { RingbaCredentials } from './ringba.credentials.js';
import { cursorScope, decodeCursor, encodeCursor } from './ringba.cursor.js';
import {
  isRecord,
  mapCallRecord,
  mapCampaign,
  mapNumber,
  ringbaPhone,
  type RingbaRecord,
} from './ringba.mapper.js';
import { describePixel, mapPixel } from './ringba.pixel-mapper.js';
import { buildPixelTemplates, type PixelMethod } from './ringba.pixels.js';

/**
 * Connection settings this plugin reads (all optional):
 * - `pixelMethod`: "GET" (default) or "POST" — the method of the pixel templates.
 * - `requestTimeoutMs`: per-request timeout; Ringba's reports can be slow on large windows.
 * - `unlinkOnRelease`: release numbers with `?unlink=true` (detach them from campaigns first).
 * - `timeZone`: IANA zone of zone-less dates in pixel payloads (default UTC).
 */
export interface RingbaSettings {
  pixelMethod?: PixelMethod;
  timeZone?: string;
  requestTimeoutMs?: number;
  unlinkOnRelease?: boolean;
}

/**
 * The Ringba adapter: one instance per connection. Ringba has no documented call update or pixel
 * API (pixels are made in its UI from the templates) and no summary report, so the adapter has no
 * CallUpdates, WebhookRegistrar or ReportSource (reports are computed from the history).
 */
export class RingbaAdapter
  implements
    ProviderConnection,
    HistorySource,
    CallLookup,
    WebhookReceiver,
    NumberSource,
    NumberProvisioning,
    CampaignSource
{
  private readonly api: RingbaApi;

  constructor(private readonly ctx: ProviderContext<RingbaCredentials>) {
    this.api = new RingbaApi(ctx);
  }

  /**
   * `GET /{accountId}/calllogs/columns`: small, account-scoped and outside the reporting budget, so
   * it proves both the token and the account id. 401/403 become CredentialsError in the HTTP
   * client; an unknown account (404) is refused here.
   */
  async authenticate(): Promise<void> {
    const response = await this.api.request('/calllogs/columns', {
      method: 'GET',
      endpoint: 'calllogs.columns',
      acceptStatus: [404],
    });
    if (response.status === 404) {
      throw new CredentialsError(RINGBA_PROVIDER, 'ringba does not know this account id (404)', 404);
    }
  }

  /** `POST /{accountId}/calllogs/detail` `{"InboundCallIds": [id]}` (R1). */
  async getCall(externalId: string): Promise<NormalizedCall> {
    const response = await this.api.request('/calllogs/detail', {
      method: 'POST',
      endpoint: 'calllogs.detail',
      json: { InboundCallIds: [externalId] },
      retry: true,
      acceptStatus: [404],
    });
    const record =
      response.status === 404
        ? undefined
        : reportRecords(response.body).find((r) => isRecord(r) && readString(r.inboundCallId) === externalId);
    if (!isRecord(record)) {
      throw new ProviderError(
        RINGBA_PROVIDER,
        'not_found',
        false,
        'ringba has no call with that inboundCallId',
        {
          status: 404,
        },
      );
    }
    return mapCallRecord(record);
  }

  /**
   * One page of `POST /{accountId}/calllogs` (R1): the window is `reportStart`/`reportEnd`, pages are
   * `size`/`offset`, sorted by call date ascending so calls arriving while we page are appended at
   * the end instead of shifting every page (Ringba's default order is descending).
   */
  async getCalls(filters: CallFilters, cursor?: string): Promise<CallPage> {
    const offset = cursor ? decodeCursor(cursor, filters).offset : 0;
    const size = Math.min(
      Math.max(Math.floor(filters.pageSize ?? RINGBA_DEFAULT_PAGE_SIZE), 1),
      RINGBA_MAX_PAGE_SIZE,
    );
    const response = await this.api.request('/calllogs', {
      method: 'POST',
      endpoint: 'calllogs',
      retry: true,
      json: {
        reportStart: filters.from.toISOString(),
        reportEnd: filters.to.toISOString(),
        valueColumns: RINGBA_CALL_LOG_COLUMNS.map((column) => ({ column })),
        orderByColumns: [
          { column: 'callDt', direction: 'asc' },
          { column: 'inboundCallId', direction: 'asc' },
        ],
        filters: filters.campaignExternalId
          ? [
              {
                anyConditionToMatch: [
                  {
                    column: 'campaignId',
                    value: filters.campaignExternalId,
                    isNegativeMatch: false,
                    comparisonType: 'EQUALS',
                  },
                ],
              },
            ]
          : undefined,
        size,
        offset,
      },
    });
    const report =
      isRecord(response.body) && isRecord(response.body.report) ? response.body.report : undefined;
    if (!report || !Array.isArray(report.records)) {
      throw new ProviderError(
        RINGBA_PROVIDER,
        'unexpected_response',
        false,
        'ringba calllogs answered without a report',
      );
    }
    const records: unknown[] = report.records;
    const total = readNumber(report.totalCount);
    const mapped = mapRows(records, (record) => {
      if (!isRecord(record)) throw new MappingError(RINGBA_PROVIDER, 'row is not an object');
      const call = mapCallRecord(record);
      // reportEnd is inclusive on Ringba's side [I]; our window's end is exclusive.
      return !call.startedAt || call.startedAt < filters.to ? call : undefined;
    });
    const nextOffset = offset + records.length;
    const more = records.length === size && (total === undefined || nextOffset < total);
    return callPage(mapped, {
      nextCursor: more ? encodeCursor({ offset: nextOffset, scope: cursorScope(filters) }) : undefined,
      total,
      logger: this.ctx.logger,
      logFields: { provider: RINGBA_PROVIDER, offset },
    });
  }

  webhookTemplates(config: WebhookConfig): WebhookTemplate[] {
    const method = readString(this.ctx.settings.pixelMethod)?.toUpperCase() === 'POST' ? 'POST' : 'GET';
    return buildPixelTemplates(config, method);
  }

  describeWebhook(request: InboundWebhook): WebhookDescription {
    return describePixel(request);
  }

  mapWebhook(request: InboundWebhook): NormalizedCallEvent {
    return mapPixel(request, { timeZone: readString(this.ctx.settings.timeZone) });
  }

  /**
   * `POST /{accountId}/numbers` `{countryCode, isTollFree, chargeAccountIfNeeded, areaCode?}` (R1).
   * Buys a number, so it is never retried automatically. Ringba creates numbers without a campaign;
   * a request for a campaign's number is refused before anything is bought.
   */
  async provisionNumber(options: NumberOptions): Promise<TrackingNumber> {
    if (options.campaignExternalId) {
      throw new NotSupportedError(
        RINGBA_PROVIDER,
        'provisionNumber for a campaign',
        'Ringba creates numbers unassigned; provision without a campaign, then add the number to the campaign in Ringba',
      );
    }
    const response = await this.api.request('/numbers', {
      method: 'POST',
      endpoint: 'numbers.create',
      json: {
        countryCode: options.countryCode ?? 'US',
        isTollFree: options.tollFree ?? false,
        // Billing the account's card is opt-in: pass extra.chargeAccountIfNeeded = true.
        chargeAccountIfNeeded: readBoolean(options.extra?.chargeAccountIfNeeded) ?? false,
        areaCode: options.areaCode,
      },
    });
    const body = isRecord(response.body) ? response.body : {};
    const number = isRecord(body.number) ? body.number : {};
    const externalId = readString(body.numberId) ?? readString(number.id);
    const phone = ringbaPhone(number.phoneNumber) ?? ringbaPhone(number.displayNumber);
    if (externalId === undefined || phone === undefined) {
      throw new MappingError(
        RINGBA_PROVIDER,
        `ringba created a number but the answer lacks its ${externalId === undefined ? 'numberId' : 'phoneNumber'}` +
          (externalId ? ` (numberId ${externalId}); check the Ringba UI` : '; check the Ringba UI'),
        externalId === undefined ? 'numberId' : 'number.phoneNumber',
      );
    }
    return mapNumber({ ...number, id: externalId, phoneNumber: phone });
  }

  /**
   * `DELETE /{accountId}/numbers/{numberId}` (R1). A number linked to campaigns or publishers is
   * refused by Ringba unless `?unlink=true` (setting `unlinkOnRelease`). An unknown number counts as
   * already released.
   */
  async releaseNumber(externalId: string): Promise<void> {
    await this.api.request(`/numbers/${encodeURIComponent(externalId)}`, {
      method: 'DELETE',
      endpoint: 'numbers.delete',
      query: { unlink: readBoolean(this.ctx.settings.unlinkOnRelease) === true ? 'true' : undefined },
      acceptStatus: [404],
    });
  }

  /** `GET /{accountId}/numbers` → `{numbers: [...]}`; rows without an id or a phone number are skipped. */
  async getNumbers(): Promise<TrackingNumber[]> {
    const response = await this.api.request('/numbers', { method: 'GET', endpoint: 'numbers' });
    return this.mapList(listOf(response.body, 'numbers'), mapNumber, 'numbers');
  }

  async getCampaigns(): Promise<Campaign[]> {
    const response = await this.api.request('/campaigns', { method: 'GET', endpoint: 'campaigns' });
    return this.mapList(listOf(response.body, 'campaigns'), mapCampaign, 'campaigns');
  }

  /** `GET /{accountId}/campaigns/{id}`; the envelope is `{campaign}` or `{campaigns: [one]}` [I]. */
  async getCampaign(externalId: string): Promise<Campaign> {
    const response = await this.api.request(`/campaigns/${encodeURIComponent(externalId)}`, {
      method: 'GET',
      endpoint: 'campaigns.get',
      acceptStatus: [404],
    });
    const body = isRecord(response.body) ? response.body : {};
    const record = isRecord(body.campaign)
      ? body.campaign
      : listOf(body, 'campaigns').find((c) => isRecord(c) && readString(c.id) === externalId);
    if (response.status === 404 || !isRecord(record)) {
      throw new ProviderError(RINGBA_PROVIDER, 'not_found', false, 'ringba has no campaign with that id', {
        status: 404,
      });
    }
    return mapCampaign(record);
  }

  private mapList<T>(rows: unknown[], map: (row: RingbaRecord) => T, what: string): T[] {
    const mapped = mapRows(rows, (row) => {
      if (!isRecord(row)) throw new MappingError(RINGBA_PROVIDER, `${what} row is not an object`);
      return map(row);
    });
    return listItems(mapped, `ringba ${what}`, this.ctx.logger, { provider: RINGBA_PROVIDER });
  }
}

function listOf(body: unknown, key: string): unknown[] {
  if (Array.isArray(body)) return body;
  const list = isRecord(body) ? body[key] : undefined;
  return Array.isArray(list) ? list : [];
}

/** Records of a call-log (or call-log detail) answer: `{report: {records}}`, or `{records}` [I]. */
function reportRecords(body: unknown): unknown[] {
  if (!isRecord(body)) return [];
  if (isRecord(body.report) && Array.isArray(body.report.records)) return body.report.records;
  return Array.isArray(body.records) ? body.records : [];
}
