import {
  callPage,
  listItems,
  mapRows,
  CredentialsError,
  MappingError,
  ProviderError,
  readInteger,
  readString,
  type CallFilters,
  type CallLookup,
  type CallPage,
  type CallUpdate,
  type CallUpdates,
  type Campaign,
  type CampaignSource,
  type HistorySource,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type NumberSource,
  type ProviderConnection,
  type ProviderContext,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
  type TrackingNumber,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookReceiver,
  type WebhookRegistrar,
  type WebhookRegistration,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import {
  TRACKDRIVE,
  TRACKDRIVE_DEFAULT_API_BASE_URL,
  TRACKDRIVE_DEFAULT_PAGE_SIZE,
  TRACKDRIVE_FIRST_CURSOR,
  TRACKDRIVE_MAX_LIST_PAGES,
  TRACKDRIVE_MAX_PAGE_SIZE,
} from './trackdrive.constants.js';
import type { TrackDriveCredentials } from './trackdrive.credentials.js';
import { decodeCursor, encodeCursor, readNextCursor } from './trackdrive.cursor.js';
import { ceilToSecond, floorToSecond, formatTrackDriveDate } from './trackdrive.dates.js';
import {
  mapCallRecord,
  mapOffer,
  mapPhoneNumber,
  unwrapCallPayload,
  type TrackDriveRecord,
} from './trackdrive.mapper.js';
import { TRACKDRIVE_TRIGGER_SPECS } from './trackdrive.triggers.js';
import {
  buildWebhookTemplates,
  describeTrackDriveWebhook,
  mapTrackDriveWebhook,
  selectTriggers,
  webhookUrlFor,
} from './trackdrive.webhooks.js';

type Request = Omit<ProviderHttpRequest, 'url' | 'headers'> & { path: string };

interface ListEnvelope {
  rows: unknown[];
  metadata: TrackDriveRecord;
}

/**
 * TrackDrive adapter, one per connection. Talks to `https://{subdomain}.trackdrive.com/api/v1`
 * (or ctx.apiBaseUrl) with HTTP Basic auth built from the connection's key pair. TrackDrive has
 * no API to buy or release numbers (its UI does that) and no summary report: no NumberProvisioning
 * and no ReportSource (reports are computed from the history).
 */
export class TrackDriveAdapter
  implements
    ProviderConnection,
    HistorySource,
    CallLookup,
    CallUpdates,
    WebhookReceiver,
    WebhookRegistrar,
    NumberSource,
    CampaignSource
{
  private readonly baseUrl: string;

  constructor(private readonly ctx: ProviderContext<TrackDriveCredentials>) {
    this.baseUrl = resolveBaseUrl(ctx.apiBaseUrl, ctx.credentials?.subdomain);
  }

  // ---- credentials ----------------------------------------------------------------------------

  async authenticate(): Promise<void> {
    const subdomain = this.ctx.credentials.subdomain;
    let response: ProviderHttpResponse;
    try {
      response = await this.request({
        method: 'GET',
        path: '/calls',
        query: { cursor: TRACKDRIVE_FIRST_CURSOR, per_page: 1, columns: 'uuid' },
        endpoint: 'auth',
        acceptStatus: [404],
      });
    } catch (error) {
      if (error instanceof CredentialsError) {
        throw new CredentialsError(
          TRACKDRIVE,
          `trackdrive refused the API key pair for subdomain "${subdomain}" (HTTP ${error.status ?? 401}); ` +
            'check the public and private key on the TrackDrive profile page',
          error.status,
        );
      }
      throw error;
    }
    if (response.status === 404) {
      throw new CredentialsError(
        TRACKDRIVE,
        `trackdrive has no API at subdomain "${subdomain}" (HTTP 404)`,
        404,
      );
    }
  }

  // ---- calls ----------------------------------------------------------------------------------

  async getCalls(filters: CallFilters, cursor?: string): Promise<CallPage> {
    const perPage = clampPageSize(filters.pageSize);
    const providerCursor = cursor ? decodeCursor(cursor).cursor : TRACKDRIVE_FIRST_CURSOR;
    const response = await this.request({
      method: 'GET',
      path: '/calls',
      query: {
        cursor: providerCursor,
        per_page: perPage,
        created_at_from: formatTrackDriveDate(floorToSecond(filters.from)),
        created_at_to: formatTrackDriveDate(ceilToSecond(filters.to)),
        offer_id: filters.campaignExternalId,
      },
      endpoint: 'calls.list',
    });
    const { rows, metadata } = readListEnvelope(response.body, ['calls'], 'GET calls');

    const mapped = mapRows(
      rows,
      (row) => {
        const record = asRecord(row);
        if (!record) throw new MappingError(TRACKDRIVE, 'row is not a call object');
        const call = mapCallRecord(record);
        // TrackDrive's window is whole seconds and inclusive at the end; ours is [from, to).
        if (call.startedAt && (call.startedAt < filters.from || call.startedAt >= filters.to))
          return undefined;
        const otherOffer =
          filters.campaignExternalId &&
          call.campaignExternalId &&
          call.campaignExternalId !== filters.campaignExternalId;
        return otherOffer ? undefined : call;
      },
      (row) => readString(asRecord(row)?.id),
    );

    let next = readNextCursor(metadata.next_cursor, response.text);
    if (next !== undefined && next === providerCursor) {
      // A cursor that does not move would page forever.
      this.ctx.logger.warn('trackdrive: next_cursor repeated the current cursor; stopping', {
        connectionId: this.ctx.connectionId,
      });
      next = undefined;
    } else if (!('next_cursor' in metadata) && rows.length >= perPage) {
      this.ctx.logger.warn('trackdrive: full page without metadata.next_cursor; cannot page further', {
        connectionId: this.ctx.connectionId,
      });
    }
    return callPage(mapped, {
      nextCursor: next === undefined ? undefined : encodeCursor({ cursor: next }),
      total: readInteger(metadata.total_count) ?? readInteger(metadata.total),
      logger: this.ctx.logger,
      logFields: { connectionId: this.ctx.connectionId, rows: rows.length },
    });
  }

  async getCall(externalId: string): Promise<NormalizedCall> {
    const response = await this.request({
      method: 'GET',
      path: `/calls/${encodeURIComponent(externalId)}`,
      endpoint: 'calls.get',
      acceptStatus: [404],
    });
    if (response.status === 404) throw notFound('call', externalId);
    const record = readSingleCall(response.body);
    if (!record) throw unexpected('GET calls/:id', 'no call object');
    return mapCallRecord(record);
  }

  async updateCall(externalId: string, update: CallUpdate): Promise<NormalizedCall> {
    const body: Record<string, unknown> = {};
    if (update.converted !== undefined) body.buyer_converted = update.converted;
    if (update.revenue !== undefined) body.revenue = update.revenue;
    if (update.payout !== undefined) body.payout = update.payout;
    if (update.tags && Object.keys(update.tags).length > 0) body.post_call_tokens = update.tags;
    if (Object.keys(body).length === 0) return this.getCall(externalId);

    const response = await this.request({
      method: 'POST',
      path: `/calls/update_call/${encodeURIComponent(externalId)}`,
      json: body,
      endpoint: 'calls.update',
      // Sets absolute values (never add_revenue), so sending it twice is harmless.
      retry: true,
      acceptStatus: [404],
    });
    if (response.status === 404) throw notFound('call', externalId);
    assertEnvelopeOk(response.body, 'POST calls/update_call');
    const record = readSingleCall(response.body);
    if (record && readString(record.uuid) === externalId) return mapCallRecord(record);
    return this.getCall(externalId);
  }

  // ---- real time ------------------------------------------------------------------------------

  async registerWebhook(config: WebhookConfig): Promise<WebhookRegistration> {
    const triggers = selectTriggers(config.triggers);
    const created: Array<{ id: string; trigger: string; event: string }> = [];
    try {
      for (const trigger of triggers) {
        const { event, trigger_fields } = TRACKDRIVE_TRIGGER_SPECS[trigger].subscription;
        const response = await this.request({
          method: 'POST',
          path: '/subscriptions',
          json: {
            target_url: webhookUrlFor(config, trigger),
            event,
            ...(trigger_fields ? { trigger_fields } : {}),
          },
          endpoint: 'subscriptions.create',
          retry: false,
        });
        assertEnvelopeOk(response.body, 'POST subscriptions');
        const body = asRecord(response.body);
        const id = readString(asRecord(body?.subscription)?.id) ?? readString(body?.id);
        if (!id) throw unexpected('POST subscriptions', 'no subscription id');
        created.push({ id, trigger, event });
      }
    } catch (error) {
      // All or nothing: remove what this call already created, then report the failure.
      for (const { id } of created) await this.deleteSubscription(id).catch(() => undefined);
      throw error;
    }
    return {
      id: created.map((c) => c.id).join(','),
      triggers,
      // No target_url here: it carries the connection's secret.
      providerData: { subscriptions: created },
    };
  }

  async unregisterWebhook(registrationId: string): Promise<void> {
    const ids = registrationId
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (ids.length === 0) {
      throw new ProviderError(
        TRACKDRIVE,
        'invalid_registration',
        false,
        'trackdrive registration id is empty',
      );
    }
    for (const id of ids) await this.deleteSubscription(id);
  }

  webhookTemplates(config: WebhookConfig): WebhookTemplate[] {
    return buildWebhookTemplates(config);
  }

  describeWebhook(request: InboundWebhook): WebhookDescription {
    return describeTrackDriveWebhook(request);
  }

  mapWebhook(request: InboundWebhook): NormalizedCallEvent {
    const timeZone = this.ctx.settings.timeZone;
    return mapTrackDriveWebhook(request, { timeZone: typeof timeZone === 'string' ? timeZone : undefined });
  }

  // ---- numbers and campaigns ------------------------------------------------------------------

  async getNumbers(): Promise<TrackingNumber[]> {
    const rows = await this.listPaged('/phone_numbers', ['phone_numbers', 'numbers'], 'phone_numbers.list');
    return this.mapRows(rows, mapPhoneNumber, 'phone number');
  }

  async getCampaigns(): Promise<Campaign[]> {
    const rows = await this.listPaged('/offers', ['offers'], 'offers.list');
    return this.mapRows(rows, mapOffer, 'offer');
  }

  async getCampaign(externalId: string): Promise<Campaign> {
    const response = await this.request({
      method: 'GET',
      path: `/offers/${encodeURIComponent(externalId)}`,
      endpoint: 'offers.get',
      acceptStatus: [404],
    });
    if (response.status === 404) throw notFound('offer', externalId);
    const body = asRecord(response.body);
    const record = asRecord(body?.offer) ?? body;
    if (!record) throw unexpected('GET offers/:id', 'no offer object');
    return mapOffer(record);
  }

  // ---- internals ------------------------------------------------------------------------------

  private mapRows<T>(rows: unknown[], map: (record: TrackDriveRecord) => T, what: string): T[] {
    const mapped = mapRows(rows, (row) => {
      const record = asRecord(row);
      if (!record) throw new MappingError(TRACKDRIVE, `${what} row is not an object`);
      return map(record);
    });
    return listItems(mapped, `trackdrive ${what}`, this.ctx.logger, { connectionId: this.ctx.connectionId });
  }

  /**
   * Page-numbered listing (offers, phone numbers). Stops at metadata.total_pages when given,
   * otherwise at the first empty page (TrackDrive may cap per_page below what we ask for, so a
   * short page is not proof of the end), or when a page repeats the previous one.
   */
  private async listPaged(path: string, roots: string[], endpoint: string): Promise<unknown[]> {
    const all: unknown[] = [];
    let previousFirst: string | undefined;
    for (let page = 1; page <= TRACKDRIVE_MAX_LIST_PAGES; page++) {
      const response = await this.request({
        method: 'GET',
        path,
        query: { page, per_page: TRACKDRIVE_MAX_PAGE_SIZE },
        endpoint,
      });
      const { rows, metadata } = readListEnvelope(response.body, roots, `GET ${path.slice(1)}`);
      if (rows.length === 0) break;
      const first = JSON.stringify(rows[0]);
      if (page > 1 && first === previousFirst) break;
      previousFirst = first;
      all.push(...rows);
      const totalPages = readInteger(metadata.total_pages);
      if (totalPages !== undefined && page >= totalPages) break;
    }
    return all;
  }

  private async deleteSubscription(id: string): Promise<void> {
    await this.request({
      method: 'DELETE',
      path: `/subscriptions/${encodeURIComponent(id)}`,
      endpoint: 'subscriptions.delete',
      // Already gone is what we wanted.
      acceptStatus: [404],
    });
  }

  private request<T = unknown>(req: Request): Promise<ProviderHttpResponse<T>> {
    const { path, ...rest } = req;
    return this.ctx.http.request<T>({
      ...rest,
      url: `${this.baseUrl}${path}`,
      headers: { authorization: this.authorization(), accept: 'application/json' },
    });
  }

  private authorization(): string {
    const { publicKey, privateKey } = this.ctx.credentials;
    return `Basic ${Buffer.from(`${publicKey}:${privateKey}`, 'utf8').toString('base64')}`;
  }
}

/** ctx.apiBaseUrl (simulators) or the account's host; `{subdomain}` filled in; `/api/v1` ensured. */
export function resolveBaseUrl(apiBaseUrl: string | undefined, subdomain: string | undefined): string {
  let base = (apiBaseUrl ?? TRACKDRIVE_DEFAULT_API_BASE_URL).trim().replace(/\/+$/, '');
  if (base.includes('{subdomain}')) base = base.replace('{subdomain}', encodeURIComponent(subdomain ?? ''));
  if (!/\/api\/v\d+$/.test(base)) base = `${base}/api/v1`;
  return base;
}

function clampPageSize(requested: number | undefined): number {
  const size = Math.floor(requested ?? TRACKDRIVE_DEFAULT_PAGE_SIZE);
  if (!Number.isFinite(size) || size < 1) return TRACKDRIVE_DEFAULT_PAGE_SIZE;
  return Math.min(size, TRACKDRIVE_MAX_PAGE_SIZE);
}

function asRecord(value: unknown): TrackDriveRecord | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as TrackDriveRecord)
    : undefined;
}

/** `{<root>: [...], metadata: {...}}`, or a bare array when the API was asked for root=false. */
function readListEnvelope(body: unknown, roots: string[], what: string): ListEnvelope {
  if (Array.isArray(body)) return { rows: body, metadata: {} };
  const record = asRecord(body);
  if (record) {
    assertEnvelopeOk(record, what);
    for (const root of roots) {
      const rows = record[root];
      if (Array.isArray(rows)) return { rows, metadata: asRecord(record.metadata) ?? {} };
    }
  }
  throw unexpected(what, `no "${roots[0]}" list in the answer`);
}

/** A single call answer: `{call: {...}}`, `{calls: [{...}]}` or the bare object. */
function readSingleCall(body: unknown): TrackDriveRecord | undefined {
  const record = asRecord(body);
  if (record && Array.isArray(record.calls)) return asRecord(record.calls[0]);
  const inner = unwrapCallPayload(body);
  return inner && (inner.uuid !== undefined || inner.id !== undefined) ? inner : undefined;
}

/**
 * TrackDrive answers carry `status` and `errors` next to the data; a 200 whose body says an error
 * status is still an error.
 */
function assertEnvelopeOk(body: unknown, what: string): void {
  const record = asRecord(body);
  const status = readInteger(record?.status);
  if (status === undefined || status < 400) return;
  const errors = asRecord(record?.errors);
  const detail = errors ? Object.keys(errors).slice(0, 5).join(', ') : '';
  throw new ProviderError(
    TRACKDRIVE,
    `http_${status}`,
    status >= 500 || status === 429,
    `trackdrive ${what} reported status ${status}${detail ? ` (fields: ${detail})` : ''}`,
    { status },
  );
}

function notFound(what: string, id: string): ProviderError {
  return new ProviderError(TRACKDRIVE, 'not_found', false, `trackdrive has no ${what} ${id}`, {
    status: 404,
  });
}

/** An answer we cannot read; retryable because it is most often a proxy or maintenance page. */
function unexpected(what: string, detail: string): ProviderError {
  return new ProviderError(TRACKDRIVE, 'unexpected_response', true, `trackdrive ${what}: ${detail}`);
}
