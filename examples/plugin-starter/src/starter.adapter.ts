import {
  ProviderError,
  callPage,
  mapRows,
  readString,
  type CallFilters,
  type CallLookup,
  type CallPage,
  type HistorySource,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type ProviderConnection,
  type ProviderContext,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookReceiver,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import type { StarterCredentials } from './starter.credentials.js';
import { TRIGGERS, mapCall, mapWebhook } from './starter.mapper.js';

const DEFAULT_BASE_URL = 'https://api.starter.example/v1';
const PROVIDER = 'starter';

interface CallsResponse {
  calls: Array<Record<string, unknown>>;
  next_page?: number | null;
}

/**
 * One instance per connection. Everything outside the plugin comes through the context.
 *
 * Implement the capabilities your provider has, and nothing else: Switchboard reads them from this
 * class's methods (no feature flags, no NotSupportedError stubs). This starter has the connection
 * check, a webhook receiver, a call history and call lookup. Add what your provider's API offers:
 * NumberSource (getNumbers), NumberProvisioning (provisionNumber + releaseNumber), CampaignSource
 * (getCampaigns + getCampaign), ReportSource (getCallReport, only if the provider computes totals
 * itself), CallUpdates (updateCall), WebhookRegistrar (registerWebhook + unregisterWebhook).
 */
export class StarterAdapter implements ProviderConnection, WebhookReceiver, HistorySource, CallLookup {
  private readonly base: string;

  constructor(private readonly ctx: ProviderContext<StarterCredentials>) {
    // Tests and simulators point apiBaseUrl elsewhere; always prefer it.
    this.base = ctx.apiBaseUrl ?? DEFAULT_BASE_URL;
  }

  private get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.ctx.credentials.apiKey}` };
  }

  async authenticate(): Promise<void> {
    await this.ctx.http.request({
      method: 'GET',
      url: `${this.base}/accounts/${this.ctx.credentials.accountId}`,
      headers: this.headers,
      endpoint: 'account',
    });
  }

  /** An unknown call is a non-retryable ProviderError `not_found` (status 404): the platform answers 404. */
  async getCall(externalId: string): Promise<NormalizedCall> {
    const { status, body } = await this.ctx.http.request<Record<string, unknown>>({
      method: 'GET',
      url: `${this.base}/calls/${encodeURIComponent(externalId)}`,
      headers: this.headers,
      endpoint: 'calls.get',
      acceptStatus: [404],
    });
    if (status === 404)
      throw new ProviderError(PROVIDER, 'not_found', false, `starter has no call ${externalId}`, { status });
    return mapCall(body);
  }

  async getCalls(filters: CallFilters, cursor?: string): Promise<CallPage> {
    const page = cursor ? Number(cursor) : 1;
    const { body } = await this.ctx.http.request<CallsResponse>({
      method: 'GET',
      url: `${this.base}/calls`,
      query: {
        from: filters.from.toISOString(),
        to: filters.to.toISOString(),
        page,
        per_page: filters.pageSize ?? 100,
      },
      headers: this.headers,
      endpoint: 'calls.list',
    });
    // A row that cannot be mapped (MappingError) is reported in `skipped`, not a failed page.
    return callPage(
      mapRows(
        body.calls,
        // A row that is not an object maps like one without an id: a MappingError, so skipped.
        (row) => mapCall(typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}),
        (row) => readString((row as { id?: unknown })?.id),
      ),
      { nextCursor: body.next_page ? String(body.next_page) : undefined, logger: this.ctx.logger },
    );
  }

  webhookTemplates(config: WebhookConfig): WebhookTemplate[] {
    return Object.keys(TRIGGERS).map((trigger) => ({
      trigger,
      providerTrigger: `call ${trigger}`,
      method: 'POST' as const,
      url: `${config.url}?token=${encodeURIComponent(config.secret)}&event=${trigger}`,
      contentType: 'application/json',
      body: '{"id":"{call.id}","status":"{call.status}","caller":"{call.caller}","started_at":"{call.started_at}"}',
    }));
  }

  describeWebhook(request: InboundWebhook): WebhookDescription {
    const trigger = readString(request.query.event);
    const body = request.body as Record<string, unknown> | undefined;
    const id = readString(body?.id) ?? readString(request.query.id);
    return {
      eventId: id && trigger ? `${id}:${trigger}` : undefined,
      eventType: trigger ? TRIGGERS[trigger] : undefined,
    };
  }

  mapWebhook(request: InboundWebhook): NormalizedCallEvent {
    return mapWebhook(request);
  }
}
