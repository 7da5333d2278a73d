import {
  credentialsAccepted,
  NotSupportedError,
  ProviderError,
  type CallFilters,
  type CallPage,
  type CallReport,
  type CallTrackingProvider,
  type Campaign,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type ProviderContext,
  type TrackingNumber,
  type WebhookDescription,
  type WebhookRegistration,
  type WebhookTemplate,
  type WebhookConfig,
  readString,
  sumDecimals,
} from '@switchboard/plugin-sdk';
import type { StarterCredentials } from './starter.credentials.js';
import { TRIGGERS, mapCall, mapWebhook } from './starter.mapper.js';

const DEFAULT_BASE_URL = 'https://api.starter.example/v1';
const PROVIDER = 'starter';

interface CallsResponse {
  calls: Array<Record<string, unknown>>;
  next_page?: number | null;
}

/** One instance per connection. Everything outside the plugin comes through the context. */
export class StarterAdapter implements CallTrackingProvider {
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

  async validateCredentials(): Promise<boolean> {
    return credentialsAccepted(() => this.authenticate());
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
    return {
      calls: body.calls.map(mapCall),
      nextCursor: body.next_page ? String(body.next_page) : undefined,
    };
  }

  async updateCall(): Promise<NormalizedCall> {
    throw new NotSupportedError(PROVIDER, 'updateCall');
  }

  async registerWebhook(_config: WebhookConfig): Promise<WebhookRegistration> {
    throw new NotSupportedError(PROVIDER, 'registerWebhook', 'paste the templates into the provider instead');
  }

  async unregisterWebhook(): Promise<void> {
    throw new NotSupportedError(PROVIDER, 'unregisterWebhook');
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

  async provisionNumber(): Promise<TrackingNumber> {
    throw new NotSupportedError(PROVIDER, 'provisionNumber');
  }

  async releaseNumber(): Promise<void> {
    throw new NotSupportedError(PROVIDER, 'releaseNumber');
  }

  async getNumbers(): Promise<TrackingNumber[]> {
    return [];
  }

  async getCampaign(externalId: string): Promise<Campaign> {
    return { externalId, name: externalId, providerData: {} };
  }

  async getCampaigns(): Promise<Campaign[]> {
    return [];
  }

  async getCallReport(from: Date, to: Date): Promise<CallReport> {
    const calls: NormalizedCall[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.getCalls({ from, to }, cursor);
      calls.push(...page.calls);
      cursor = page.nextCursor;
    } while (cursor);
    return {
      from,
      to,
      totalCalls: calls.length,
      connectedCalls: calls.filter((c) => c.answeredAt).length,
      convertedCalls: calls.filter((c) => c.converted).length,
      revenue: sumDecimals(calls.map((c) => c.revenue)),
      payout: sumDecimals(calls.map((c) => c.payout)),
    };
  }
}
