import {
  credentialsAccepted,
  sumDecimals,
  CredentialsError,
  MappingError,
  NotSupportedError,
  ProviderError,
  readBoolean,
  readNumber,
  readString,
  type CallFilters,
  type CallPage,
  type CallReport,
  type CallTrackingProvider,
  type CallUpdate,
  type Campaign,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type NumberOptions,
  type ProviderContext,
  type SkippedRow,
  type TrackingNumber,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookRegistration,
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

/** The Ringba adapter: one instance per connection. */
export class RingbaAdapter implements CallTrackingProvider {
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

  async validateCredentials(): Promise<boolean> {
    return credentialsAccepted(() => this.authenticate());
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
    const calls: NormalizedCall[] = [];
    const skipped: SkippedRow[] = [];
    records.forEach((record, index) => {
      const mapped = this.mapListedRecord(record);
      if ('reason' in mapped) skipped.push({ index, reason: mapped.reason });
      // reportEnd is inclusive on Ringba's side [I]; our window's end is exclusive.
      else if (!mapped.call.startedAt || mapped.call.startedAt < filters.to) calls.push(mapped.call);
    });
    if (skipped.length > 0) {
      this.ctx.logger.warn('ringba call log rows skipped: no usable inboundCallId', {
        provider: RINGBA_PROVIDER,
        skipped: skipped.length,
        // Which rows and why (positions and reasons only, never the rows' data).
        skippedRows: skipped,
        offset,
      });
    }
    const nextOffset = offset + records.length;
    const more = records.length === size && (total === undefined || nextOffset < total);
    return {
      calls,
      nextCursor: more ? encodeCursor({ offset: nextOffset, scope: cursorScope(filters) }) : undefined,
      total,
      ...(skipped.length > 0 ? { skipped } : {}),
    };
  }

  /** A call-log row mapped, or why it could not be (the page reports skipped rows). */
  private mapListedRecord(record: unknown): { call: NormalizedCall } | { reason: string } {
    if (!isRecord(record)) return { reason: 'row is not an object' };
    try {
      return { call: mapCallRecord(record) };
    } catch (error) {
      if (error instanceof MappingError) return { reason: error.message };
      throw error;
    }
  }

  /**
   * Ringba has call adjustments (`POST /calls/payments`, `/payments/override`...) but the reference
   * does not document their bodies, so pushing revenue back is not offered.
   */
  async updateCall(_externalId: string, _update: CallUpdate): Promise<NormalizedCall> {
    throw new NotSupportedError(RINGBA_PROVIDER, 'updateCall', 'Ringba has no documented call update API');
  }

  async registerWebhook(_config: WebhookConfig): Promise<WebhookRegistration> {
    throw new NotSupportedError(
      RINGBA_PROVIDER,
      'registerWebhook',
      'pixels are created in the Ringba UI (Integrations > Pixels); paste the webhook templates there',
    );
  }

  async unregisterWebhook(_registrationId: string): Promise<void> {
    throw new NotSupportedError(RINGBA_PROVIDER, 'unregisterWebhook', 'remove the pixels in the Ringba UI');
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

  /**
   * Ringba has no summary endpoint in its documented API, so the report is computed by paging the
   * call log over the window (1,000 calls a page).
   */
  async getCallReport(from: Date, to: Date): Promise<CallReport> {
    const calls: NormalizedCall[] = [];
    const filters: CallFilters = { from, to, pageSize: RINGBA_MAX_PAGE_SIZE };
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await this.getCalls(filters, cursor);
      calls.push(...page.calls);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);

    const byCampaign = new Map<string, { name?: string; calls: NormalizedCall[] }>();
    for (const call of calls) {
      const key = call.campaignExternalId ?? '';
      const group = byCampaign.get(key) ?? { name: call.campaignName, calls: [] };
      group.calls.push(call);
      byCampaign.set(key, group);
    }
    return {
      from,
      to,
      totalCalls: calls.length,
      connectedCalls: calls.filter(isConnected).length,
      convertedCalls: calls.filter((c) => c.converted === true).length,
      revenue: sumDecimals(calls.map((c) => c.revenue)),
      payout: sumDecimals(calls.map((c) => c.payout)),
      byCampaign: [...byCampaign.entries()].map(([campaignExternalId, group]) => ({
        campaignExternalId,
        campaignName: group.name,
        calls: group.calls.length,
        converted: group.calls.filter((c) => c.converted === true).length,
        revenue: sumDecimals(group.calls.map((c) => c.revenue)),
        payout: sumDecimals(group.calls.map((c) => c.payout)),
      })),
      providerData: { source: 'computed from POST /{accountId}/calllogs', pages },
    };
  }

  private mapList<T>(rows: unknown[], map: (row: RingbaRecord) => T, what: string): T[] {
    const out: T[] = [];
    let skipped = 0;
    for (const row of rows) {
      try {
        if (isRecord(row)) out.push(map(row));
        else skipped++;
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        skipped++;
      }
    }
    if (skipped > 0)
      this.ctx.logger.warn(`ringba ${what} rows skipped`, { provider: RINGBA_PROVIDER, skipped });
    return out;
  }
}

function isConnected(call: NormalizedCall): boolean {
  return (
    call.status === 'completed' ||
    call.status === 'in_progress' ||
    call.answeredAt !== undefined ||
    (call.connectedDurationSeconds ?? 0) > 0
  );
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
