import {
  addDecimals,
  callPage,
  NO_CAMPAIGN,
  listItems,
  mapRows,
  reportFromHistory,
  MappingError,
  NotSupportedError,
  ProviderError,
  readDecimal,
  readInteger,
  readString,
  type CallFilters,
  type CallLookup,
  type CallPage,
  type CallReport,
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
  type ProviderHttpResponse,
  type ReportSource,
  type TrackingNumber,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookReceiver,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import { linkQuery, parseLinkHeader } from './link-header.js';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_PAGE_SIZE,
  MAX_LIST_PAGES,
  MAX_PAGE_SIZE,
  PATHS,
  PROVIDER,
} from './retreaver.constants.js';
import type { RetreaverCredentials } from './retreaver.credentials.js';
import { decodeCursor, encodeCursor } from './retreaver.cursor.js';
import {
  isRecord,
  mapCallRecord,
  mapCampaign,
  mapNumber,
  unwrap,
  type RetreaverRecord,
} from './retreaver.mapper.js';
import {
  buildWebhookTemplates,
  describeRetreaverWebhook,
  mapRetreaverWebhook,
} from './retreaver.webhooks.js';

type Query = Record<string, string>;

/**
 * Retreaver adapter, one instance per connection. Every request carries `api_key` and
 * `company_id` as query parameters (Retreaver's only auth), so URLs are never logged or put in
 * errors (the platform's HTTP client already keeps query strings out of its messages).
 *
 * Retreaver's Core API has no call update for the account key (buyers post conversions with a
 * per-call key) and campaign webhooks are added in its UI from the templates: no CallUpdates and
 * no WebhookRegistrar. It has its own report, so it is a ReportSource.
 */
export class RetreaverAdapter
  implements
    ProviderConnection,
    HistorySource,
    CallLookup,
    WebhookReceiver,
    NumberSource,
    NumberProvisioning,
    CampaignSource,
    ReportSource
{
  private readonly baseUrl: string;

  constructor(private readonly ctx: ProviderContext<RetreaverCredentials>) {
    this.baseUrl = (ctx.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '');
  }

  // ---- credentials -------------------------------------------------------------------------

  /** One cheap read of the calls API: 401 = wrong key, 403 = wrong key or company (CredentialsError). */
  async authenticate(): Promise<void> {
    const from = new Date(this.ctx.now().getTime() - 3_600_000);
    await this.get(PATHS.calls, 'auth.check', { created_at_start: rfc3339(from), per_page: '1' });
  }

  // ---- calls -------------------------------------------------------------------------------

  async getCall(externalId: string): Promise<NormalizedCall> {
    const response = await this.get(PATHS.call(externalId), 'calls.get', {}, [404]);
    if (response.status === 404) throw notFound('call', externalId);
    const call = unwrap(response.body, 'call');
    if (!call) throw unexpected('calls.get', 'a {"call": {...}} object');
    return mapCallRecord(call);
  }

  /**
   * One page of `GET /api/v2/calls.json` for calls created in [from, to), oldest first (a fixed
   * window read in ascending order does not shift while new calls arrive). The next page is the
   * `rel="next"` link Retreaver returns; the cursor keeps that link's query minus credentials.
   */
  async getCalls(filters: CallFilters, cursor?: string): Promise<CallPage> {
    const query: Query = cursor
      ? decodeCursor(cursor).query
      : {
          created_at_start: rfc3339(filters.from),
          created_at_end: rfc3339(filters.to),
          sort_by: 'created_at',
          order: 'asc',
          per_page: String(pageSize(filters.pageSize)),
          page: '1',
          ...(filters.campaignExternalId ? { client_cid: filters.campaignExternalId } : {}),
        };
    const response = await this.get(PATHS.calls, 'calls.list', query);
    const rows = listBody(response, 'calls.list');
    const mapped = mapRows(
      rows,
      (row) => {
        const call = unwrap(row, 'call');
        if (!call) throw new MappingError(PROVIDER, 'row is not a {"call": {...}} object');
        return mapCallRecord(call);
      },
      (row) => {
        const call = unwrap(row, 'call');
        return call ? readString(call.uuid) : undefined;
      },
    );
    const next = rows.length > 0 ? nextQuery(response, query) : undefined;
    return callPage(mapped, {
      nextCursor: next ? encodeCursor(next) : undefined,
      logger: this.ctx.logger,
      logFields: {
        provider: PROVIDER,
        connectionId: this.ctx.connectionId,
        page: query.page,
        rows: rows.length,
      },
    });
  }

  /**
   * Totals for calls created in [from, to). By default computed by paging the calls API (exact,
   * and the only source of the connected count); with the connection setting
   * `reportSource: "provider"` the totals come from Retreaver's cached `/api/v1/reports.json`
   * (facet=campaign), and the connected count still from the calls API unless the report has one.
   */
  async getCallReport(from: Date, to: Date): Promise<CallReport> {
    if (this.ctx.settings.reportSource === 'provider') return this.providerReport(from, to);
    return this.computedReport(from, to);
  }

  // ---- real time ---------------------------------------------------------------------------

  webhookTemplates(config: WebhookConfig): WebhookTemplate[] {
    return buildWebhookTemplates(config);
  }

  describeWebhook(request: InboundWebhook): WebhookDescription {
    return describeRetreaverWebhook(request);
  }

  mapWebhook(request: InboundWebhook): NormalizedCallEvent {
    const timeZone = this.ctx.settings.timeZone;
    return mapRetreaverWebhook(request, { timeZone: typeof timeZone === 'string' ? timeZone : undefined });
  }

  // ---- numbers -----------------------------------------------------------------------------

  async getNumbers(): Promise<TrackingNumber[]> {
    const rows = await this.listAll(PATHS.numbers, 'numbers.list', 'number');
    return this.mapAll(rows, mapNumber, 'numbers');
  }

  /**
   * `POST /numbers.json`. Retreaver needs the campaign (`cid`) and the affiliate (`afid`, created
   * on the fly when unknown); it picks toll-free or local and a country, not an area code.
   */
  async provisionNumber(options: NumberOptions): Promise<TrackingNumber> {
    if (options.areaCode) {
      throw new NotSupportedError(
        PROVIDER,
        'provisionNumber with an areaCode',
        'Retreaver picks the number itself',
      );
    }
    const extra = options.extra ?? {};
    const cid = options.campaignExternalId ?? readString(extra.cid);
    const afid = readString(extra.afid);
    if (!cid || !afid) {
      throw new ProviderError(
        PROVIDER,
        'invalid_request',
        false,
        'retreaver provisionNumber needs campaignExternalId (the campaign cid) and extra.afid (the affiliate id)',
      );
    }
    const tollFree = options.tollFree ?? (options.countryCode ? false : true);
    const number: Record<string, string> = { type: tollFree ? 'Toll-free' : 'Local', cid, afid };
    const sid = readString(extra.sid);
    if (sid) number.sid = sid;
    const desiredText = readString(extra.desiredText ?? extra.desired_text);
    if (desiredText) number.desired_text = desiredText;
    if (!tollFree && options.countryCode) number.country = options.countryCode.toUpperCase();

    const response = await this.ctx.http.request({
      method: 'POST',
      url: this.baseUrl + PATHS.numbers,
      query: this.credentialsQuery(),
      json: { number },
      endpoint: 'numbers.create',
    });
    const created = unwrap(response.body, 'number');
    if (!created) throw unexpected('numbers.create', 'a {"number": {...}} object');
    return mapNumber(created);
  }

  /**
   * `DELETE /numbers/{id}.json`. Retreaver accepts the delete at once and deprovisions the number
   * within 24 hours. A 404 means the number is already gone, which is what the caller wants.
   */
  async releaseNumber(externalId: string): Promise<void> {
    const response = await this.ctx.http.request({
      method: 'DELETE',
      url: this.baseUrl + PATHS.number(externalId),
      query: this.credentialsQuery(),
      endpoint: 'numbers.delete',
      acceptStatus: [404],
    });
    if (response.status === 404) {
      this.ctx.logger.info('retreaver number to release was already gone', {
        provider: PROVIDER,
        connectionId: this.ctx.connectionId,
      });
    }
  }

  // ---- campaigns ---------------------------------------------------------------------------

  async getCampaign(externalId: string): Promise<Campaign> {
    const response = await this.get(PATHS.campaign(externalId), 'campaigns.get', {}, [404]);
    if (response.status === 404) throw notFound('campaign', externalId);
    const campaign = unwrap(response.body, 'campaign');
    if (!campaign) throw unexpected('campaigns.get', 'a {"campaign": {...}} object');
    return mapCampaign(campaign);
  }

  async getCampaigns(): Promise<Campaign[]> {
    const rows = await this.listAll(PATHS.campaigns, 'campaigns.list', 'campaign');
    return this.mapAll(rows, mapCampaign, 'campaigns');
  }

  // ---- internals ---------------------------------------------------------------------------

  private credentialsQuery(): Query {
    const { apiKey, companyId } = this.ctx.credentials;
    return { api_key: apiKey, company_id: companyId };
  }

  /** GET with the credentials added last, so nothing read from a cursor or link can replace them. */
  private get(
    path: string,
    endpoint: string,
    query: Query,
    acceptStatus?: number[],
  ): Promise<ProviderHttpResponse> {
    return this.ctx.http.request({
      method: 'GET',
      url: this.baseUrl + path,
      query: { ...query, ...this.credentialsQuery() },
      endpoint,
      acceptStatus,
    });
  }

  /** Every page of an index (`/numbers.json`, `/campaigns.json`), following `rel="next"`. */
  private async listAll(path: string, endpoint: string, key: string): Promise<unknown[]> {
    const rows: unknown[] = [];
    let query: Query | undefined = { per_page: String(MAX_PAGE_SIZE), page: '1' };
    for (let page = 0; query && page < MAX_LIST_PAGES; page++) {
      const response = await this.get(path, endpoint, query);
      const pageRows = listBody(response, endpoint);
      rows.push(...pageRows.map((row) => unwrap(row, key) ?? row));
      query = pageRows.length > 0 ? nextQuery(response, query) : undefined;
    }
    return rows;
  }

  private mapAll<T>(rows: unknown[], map: (row: RetreaverRecord) => T, what: string): T[] {
    const mapped = mapRows(rows, (row) => {
      if (!isRecord(row)) throw new MappingError(PROVIDER, `${what} row is not an object`);
      return map(row);
    });
    return listItems(mapped, `retreaver ${what}`, this.ctx.logger, {
      provider: PROVIDER,
      connectionId: this.ctx.connectionId,
    });
  }

  private computedReport(from: Date, to: Date): Promise<CallReport> {
    return reportFromHistory(this, from, to, { pageSize: MAX_PAGE_SIZE, providerData: { source: 'calls' } });
  }

  private async providerReport(from: Date, to: Date): Promise<CallReport> {
    const rows: RetreaverRecord[] = [];
    let query: Query | undefined = {
      domain: 'calls',
      facet: 'campaign',
      created_at_start: rfc3339(from),
      created_at_end: rfc3339(to),
      per_page: String(MAX_PAGE_SIZE),
      page: '1',
    };
    for (let page = 0; query && page < MAX_LIST_PAGES; page++) {
      const response = await this.get(PATHS.reports, 'reports.get', query);
      const body = response.body;
      if (!isRecord(body) || !Array.isArray(body.data)) throw unexpected('reports.get', '{"data": [...]}');
      const data = body.data.filter(isRecord);
      rows.push(...data);
      const total = readInteger(body.count_total);
      const linked: Query | undefined = data.length > 0 ? nextQuery(response, query) : undefined;
      // Reports page by Link header like every index; without one, stop once count_total is read.
      query =
        linked ??
        (total !== undefined && rows.length < total && data.length > 0
          ? { ...query, page: String(Number(query.page) + 1) }
          : undefined);
    }

    const sumInt = (key: string) => rows.reduce((n, row) => n + (readInteger(row[key]) ?? 0), 0);
    const hasConnected =
      rows.length > 0 && rows.every((row) => readInteger(row.connected_count) !== undefined);
    // The report has no connected count for some accounts: count it from the calls then.
    const connectedCalls =
      hasConnected || rows.length === 0
        ? sumInt('connected_count')
        : (await this.computedReport(from, to)).connectedCalls;
    return {
      from,
      to,
      totalCalls: sumInt('total_calls'),
      connectedCalls,
      convertedCalls: sumInt('converted_count'),
      revenue: addDecimals(...rows.map((row) => readDecimal(row.revenue))),
      payout: addDecimals(...rows.map((row) => readDecimal(row.payout))),
      byCampaign: rows.map((row) => {
        const id = readString(row.id) ?? readString(row.facet_name) ?? NO_CAMPAIGN;
        const name = readString(row.facet_name);
        return {
          campaignExternalId: id,
          ...(name ? { campaignName: name } : {}),
          calls: readInteger(row.total_calls) ?? 0,
          converted: readInteger(row.converted_count) ?? 0,
          revenue: readDecimal(row.revenue) ?? '0.0000',
          payout: readDecimal(row.payout) ?? '0.0000',
        };
      }),
      providerData: { source: 'provider', rows },
    };
  }
}

/** RFC 3339 at whole seconds, the precision Retreaver's docs show. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pageSize(requested: number | undefined): number {
  if (!requested || !Number.isFinite(requested) || requested < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.floor(requested), MAX_PAGE_SIZE);
}

function listBody(response: ProviderHttpResponse, endpoint: string): unknown[] {
  if (Array.isArray(response.body)) return response.body;
  // An empty 200 is an empty page.
  if (response.body === undefined || response.body === '') return [];
  throw unexpected(endpoint, 'a JSON array');
}

/**
 * The query for the page after this one, from the `rel="next"` link. Only the link's `page` (and
 * parameters the walk did not set) are taken: the window, sort and page size the walk started with
 * always win, so a link that names another `sort_by` or `order` cannot reorder the rows mid-walk
 * (rows would be skipped or repeated). A link without a page, or one that does not move forward,
 * ends the paging instead of looping.
 */
export function nextQuery(response: ProviderHttpResponse, current: Query): Query | undefined {
  const next = parseLinkHeader(response.headers.link).next;
  if (!next) return undefined;
  const linked = linkQuery(next);
  if (!linked?.page) return undefined;
  const query = { ...linked, ...current, page: linked.page };
  if (query.page === current.page) return undefined;
  return query;
}

function notFound(what: string, id: string): ProviderError {
  return new ProviderError(PROVIDER, 'not_found', false, `retreaver has no ${what} "${id}"`, { status: 404 });
}

function unexpected(endpoint: string, expected: string): ProviderError {
  return new ProviderError(
    PROVIDER,
    'unexpected_response',
    false,
    `retreaver ${endpoint} did not answer ${expected}`,
  );
}
