import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  TrackDriveAdapter,
  TRACKDRIVE_TRIGGER_SPECS,
  type TrackDriveTrigger,
} from '@switchboard/plugin-trackdrive';
import { readDate, type ProviderContext, type WebhookTemplate } from '@switchboard/plugin-sdk';
import { SeededRandom } from '../seeded-random.js';
import type {
  FiredWebhook,
  ProviderSimulator,
  SimulatorFaults,
  SimulatorOptions,
  WebhookTarget,
} from '../simulator.js';
import {
  createAccount,
  createCall,
  createHistory,
  formatTdTime,
  formatTdTokenTime,
  type TdAccount,
  type TdCall,
  type TdRecord,
} from './trackdrive-data.js';

export interface TrackDriveSimulatorOptions extends SimulatorOptions {
  /** End of the generated history (default 2026-01-15T12:00:00Z, so a seed always gives the same calls). */
  now?: Date;
  /** Largest per_page the simulated API honours (default 100). Lower it to force many pages. */
  maxPerPage?: number;
}

export interface TrackDriveFiredWebhook extends FiredWebhook {
  /** `webhook`: an outgoing webhook rendered from the plugin's template; `subscription`: a REST hook. */
  via: 'webhook' | 'subscription';
  /** TrackDrive's name for what fired ("Call Ended", "call_ended"). */
  providerTrigger: string;
}

export interface TrackDriveSubscription {
  id: number;
  target_url: string;
  event: string;
  trigger_fields: Record<string, unknown>;
}

const SUBSCRIPTION_EVENTS = [
  'new_call',
  'call_ringing',
  'call_forwarded',
  'call_ended',
  'call_changed',
  'new_lead',
  'lead_ended',
  'lead_converted',
  'lead_opted_out',
  'lead_changed',
  'incoming_text_message',
];
const TRIGGER_FIELDS = [
  'schedule_id',
  'traffic_source_id',
  'offer_id',
  'buyer_converted',
  'has_recording',
  'either_converted',
  'buyer_id',
  'offer_converted',
  'number_id',
];
const DEFAULT_NOW = new Date('2026-01-15T12:00:00.000Z');

/**
 * TrackDrive's API on loopback: Basic auth, cursored /calls (cursor -1 first, metadata.next_cursor,
 * 0 at the end), page-numbered /offers and /phone_numbers, update_call postbacks, the subscriptions
 * API, and live calls fired as outgoing webhooks (from the plugin's templates) and as subscription
 * deliveries (the call object as JSON).
 */
export class TrackDriveSimulator implements ProviderSimulator {
  readonly provider = 'trackdrive';
  readonly credentials = {
    subdomain: 'switchboard-sim',
    publicKey: 'tdpub_5f1c0a7e9b3d4c2a8e6f0b1d3c5a7e9f',
    privateKey: 'tdprv_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
  };

  private readonly rng: SeededRandom;
  private readonly liveRng: SeededRandom;
  private readonly account: TdAccount;
  private readonly calls: TdCall[];
  private readonly subscriptions = new Map<number, TrackDriveSubscription>();
  private readonly counts = new Map<string, number>();
  private readonly maxPerPage: number;
  private faults: SimulatorFaults = {};
  /** Latency timers still running; cleared on stop so a slow answer never outlives the server. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: http.Server;
  private port = 0;
  private nextSubscriptionId = 12_903_879;
  private nextCallId = 600_000_000;

  constructor(private readonly options: TrackDriveSimulatorOptions = {}) {
    const seed = options.seed ?? 1;
    this.rng = new SeededRandom(seed);
    this.liveRng = new SeededRandom(seed ^ 0x5eed);
    this.account = createAccount(this.rng);
    this.calls = createHistory(
      this.rng,
      this.account,
      options.historyCalls ?? 120,
      (options.now ?? options.historyEnd ?? DEFAULT_NOW).getTime(),
    );
    this.maxPerPage = options.maxPerPage ?? 100;
  }

  get baseUrl(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}/api/v1`;
  }

  /** The calls the API serves, newest first (copies). */
  history(): TdRecord[] {
    return this.calls.map((c) => structuredClone(c.record));
  }

  offers(): TdRecord[] {
    return structuredClone(this.account.offers);
  }

  phoneNumbers(): TdRecord[] {
    return structuredClone(this.account.numbers);
  }

  listSubscriptions(): TrackDriveSubscription[] {
    return [...this.subscriptions.values()].map((s) => structuredClone(s));
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.send(res, 500, { status: 500, errors: { base: [String(error)] } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  injectFaults(faults: SimulatorFaults): void {
    this.faults = { ...this.faults, ...faults };
  }

  requestCount(pathPrefix = ''): number {
    let total = 0;
    for (const [path, count] of this.counts) if (path.startsWith(pathPrefix)) total += count;
    return total;
  }

  // ---- HTTP API ---------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '');
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    const rawBody = await readBody(req);

    if (this.faults.latencyMs) await this.sleep(this.faults.latencyMs);
    if (this.faults.serverErrors && this.faults.serverErrors > 0) {
      this.faults.serverErrors--;
      const status = this.faults.serverErrors % 2 === 0 ? 503 : 500;
      return this.send(res, status, { status, errors: { base: ['Something went wrong on our end'] } });
    }
    if (this.faults.rateLimited && this.faults.rateLimited > 0) {
      this.faults.rateLimited--;
      res.setHeader('retry-after', String(this.faults.retryAfterSeconds ?? 1));
      return this.send(res, 429, {
        status: 429,
        errors: { base: ['Rate limit exceeded. Try again later.'] },
      });
    }
    if (!this.authorized(req.headers.authorization)) {
      return this.send(res, 401, {
        status: 401,
        errors: { base: ['You need to sign in or sign up before continuing.'] },
      });
    }

    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean); // ['api', 'v1', resource, ...]
    if (parts[0] !== 'api' || parts[1] !== 'v1') return this.notFound(res);
    const [resource, a, b] = parts.slice(2);
    let body: TdRecord = {};
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8')) as TdRecord;
      } catch {
        return this.send(res, 400, { status: 400, errors: { base: ['Malformed JSON'] } });
      }
    }

    if (resource === 'calls') {
      if (method === 'GET' && a === undefined) return this.listCalls(url, res);
      if (method === 'POST' && a === 'update_call' && b) return this.updateCall(b, body, res);
      if (method === 'GET' && a && b === undefined) return this.showCall(a, res);
    }
    if (resource === 'offers' && method === 'GET') {
      if (a === undefined) return this.listPaged(url, res, 'offers', this.account.offers);
      const offer = this.account.offers.find((o) => String(o.id) === a || o.uuid === a);
      return offer
        ? this.send(res, 200, { status: 200, errors: {}, offer, metadata: { root: 'offer' } })
        : this.notFound(res);
    }
    if (resource === 'phone_numbers' && method === 'GET' && a === undefined) {
      const offerId = url.searchParams.get('offer_id');
      const rows = offerId
        ? this.account.numbers.filter((n) => String(n.offer_id) === offerId)
        : this.account.numbers;
      return this.listPaged(url, res, 'phone_numbers', rows);
    }
    if (resource === 'subscriptions') {
      if (method === 'POST' && a === undefined) return this.createSubscription(body, res);
      if (method === 'GET' && a === undefined) {
        return this.send(res, 200, {
          subscriptions: this.listSubscriptions(),
          metadata: { root: 'subscriptions' },
        });
      }
      if (method === 'DELETE' && a) {
        const subscription = this.subscriptions.get(Number(a));
        if (!subscription) return this.notFound(res);
        this.subscriptions.delete(subscription.id);
        return this.send(res, 200, {
          status: 200,
          errors: {},
          subscription,
          metadata: { root: 'subscription' },
        });
      }
    }
    return this.notFound(res);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private authorized(header: string | undefined): boolean {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    return decoded === `${this.credentials.publicKey}:${this.credentials.privateKey}`;
  }

  private perPage(url: URL): number | undefined {
    const raw = url.searchParams.get('per_page');
    if (raw === null) return 25;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) return undefined;
    return Math.min(n, this.maxPerPage);
  }

  private listCalls(url: URL, res: http.ServerResponse): void {
    const perPage = this.perPage(url);
    if (perPage === undefined) return this.invalid(res, 'per_page', 'must be a number');
    const cursorParam = url.searchParams.get('cursor') ?? '-1';
    if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cursorParam))
      return this.invalid(res, 'cursor', 'must be a decimal number');
    const cursor = Number(cursorParam);
    const from = parseFilterDate(url.searchParams.get('created_at_from'));
    const to = parseFilterDate(url.searchParams.get('created_at_to'));
    if (from === null)
      return this.invalid(res, 'created_at_from', 'must be formatted like 2016-01-01 12:25:15 -0500');
    if (to === null)
      return this.invalid(res, 'created_at_to', 'must be formatted like 2016-01-01 12:25:15 -0500');
    const offerId = url.searchParams.get('offer_id');

    const matching = this.calls.filter(
      (c) =>
        (from === undefined || c.createdMs >= from) &&
        (to === undefined || c.createdMs <= to) &&
        (!offerId || String(c.record.offer_id) === offerId),
    );
    const remaining = cursor === -1 ? matching : matching.filter((c) => c.key < cursor);
    const page = remaining.slice(0, perPage);
    const more = remaining.length > page.length;
    const rows: unknown[] = page.map((c) => structuredClone(c.record));
    if (this.faults.malformedRows && this.faults.malformedRows > 0) {
      const bad = [
        null,
        'not a call',
        { id: 42, status: 'finished', created_at: formatTdTime(Date.now()) },
        { uuid: '' },
      ];
      for (let i = 0; i < this.faults.malformedRows; i++)
        rows.splice(Math.min(i * 2, rows.length), 0, bad[i % bad.length]);
      this.faults.malformedRows = 0;
    }
    if (url.searchParams.get('root') === 'false') return this.send(res, 200, rows);
    this.send(res, 200, {
      calls: rows,
      metadata: {
        root: 'calls',
        next_cursor: more ? page[page.length - 1].key : 0,
        per_page: perPage,
        total_count: matching.length,
        total_pages: Math.max(1, Math.ceil(matching.length / perPage)),
      },
    });
  }

  private findCall(id: string): TdCall | undefined {
    return this.calls.find((c) => c.record.uuid === id || String(c.record.id) === id);
  }

  private showCall(id: string, res: http.ServerResponse): void {
    const call = this.findCall(id);
    if (!call) return this.notFound(res);
    this.send(res, 200, {
      status: 200,
      errors: {},
      call: structuredClone(call.record),
      metadata: { root: 'call' },
    });
  }

  private updateCall(id: string, body: TdRecord, res: http.ServerResponse): void {
    const call = this.findCall(id);
    if (!call) return this.notFound(res);
    const record = call.record;
    for (const field of ['revenue', 'payout'] as const) {
      if (body[field] === undefined) continue;
      const text = String(body[field]);
      if (!/^-?\d+(\.\d+)?$/.test(text)) return this.invalid(res, field, 'must be a decimal number');
      record[field] = text;
      record[field === 'revenue' ? 'buyer_revenue' : 'traffic_source_payout'] = text;
    }
    for (const field of ['buyer_converted', 'offer_converted'] as const) {
      if (body[field] === undefined) continue;
      const value = parseBool(body[field]);
      if (value === undefined)
        return this.invalid(res, field, 'must be a boolean value: 1, true, yes, on, 0, false, no, off');
      record[field === 'buyer_converted' ? 'buyer_converted' : 'traffic_source_converted'] = value;
    }
    if (body.post_call_tokens && typeof body.post_call_tokens === 'object') {
      record.token_values = { ...(record.token_values as TdRecord), ...(body.post_call_tokens as TdRecord) };
    }
    record.updated_at = formatTdTime(Date.now());
    this.send(res, 200, {
      status: 200,
      errors: {},
      call: structuredClone(record),
      metadata: { root: 'call' },
    });
  }

  private listPaged(url: URL, res: http.ServerResponse, root: string, all: TdRecord[]): void {
    const perPage = this.perPage(url);
    if (perPage === undefined) return this.invalid(res, 'per_page', 'must be a number');
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const rows: unknown[] = all.slice((page - 1) * perPage, page * perPage).map((r) => structuredClone(r));
    if (this.faults.malformedRows && this.faults.malformedRows > 0 && rows.length > 0) {
      for (let i = 0; i < this.faults.malformedRows; i++) rows.push(i % 2 === 0 ? { name: 'no id' } : null);
      this.faults.malformedRows = 0;
    }
    this.send(res, 200, {
      [root]: rows,
      metadata: {
        root,
        current_page: page,
        per_page: perPage,
        total_count: all.length,
        total_pages: Math.max(1, Math.ceil(all.length / perPage)),
      },
    });
  }

  private createSubscription(body: TdRecord, res: http.ServerResponse): void {
    const targetUrl = typeof body.target_url === 'string' ? body.target_url : '';
    if (!/^https?:\/\/\S+$/.test(targetUrl)) return this.invalid(res, 'target_url', 'must be a valid URL');
    if (typeof body.event !== 'string' || !SUBSCRIPTION_EVENTS.includes(body.event)) {
      return this.invalid(res, 'event', `must be one of: ${SUBSCRIPTION_EVENTS.join(', ')}`);
    }
    const fields = (body.trigger_fields ?? {}) as TdRecord;
    if (typeof fields !== 'object' || Object.keys(fields).some((k) => !TRIGGER_FIELDS.includes(k))) {
      return this.invalid(res, 'trigger_fields', 'must be a Hash of acceptable triggers');
    }
    const subscription: TrackDriveSubscription = {
      id: this.nextSubscriptionId++,
      target_url: targetUrl,
      event: body.event,
      trigger_fields: fields,
    };
    this.subscriptions.set(subscription.id, subscription);
    this.send(res, 200, {
      status: 200,
      errors: {},
      subscription,
      checksum: this.rng.hex(32),
      metadata: { root: 'subscription' },
    });
  }

  private invalid(res: http.ServerResponse, field: string, message: string): void {
    this.send(res, 422, { status: 422, errors: { [field]: [message] } });
  }

  private notFound(res: http.ServerResponse): void {
    this.send(res, 404, { status: 404, errors: { base: ['Record not found'] } });
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  // ---- live calls -------------------------------------------------------------------------------

  /**
   * One live call: added to the history when it arrives, then every trigger of its lifecycle is
   * fired, in order, as the outgoing webhook the plugin's template describes (tokens replaced with
   * the call's values at that moment) and to each matching API subscription (the call as JSON).
   *
   * `overrides` are call fields (e.g. `{ status: 'no-answer' }`, `{ buyer_converted: false }`).
   */
  async simulateCall(
    target: WebhookTarget,
    overrides: Record<string, unknown> = {},
  ): Promise<TrackDriveFiredWebhook[]> {
    const nowMs = Date.now();
    const finalStatus = typeof overrides.status === 'string' ? overrides.status : 'finished';
    const final = {
      ...createCall(this.liveRng, this.account, {
        createdMs: nowMs,
        status: finalStatus,
        id: this.nextCallId++,
      }),
    };
    if (finalStatus === 'finished') {
      // A live call that converts and has a recording, unless overridden, so every trigger fires.
      const talk = Math.max(120, Number(final.answered_duration) || 0);
      Object.assign(final, {
        answered_duration: talk,
        total_duration: talk + Number(final.hold_duration) + Number(final.ivr_duration) + 5,
        buyer_converted: 'Converted',
        traffic_source_converted: 'Converted',
        revenue: '42.5',
        buyer_revenue: '42.5',
        payout: '18.0',
        traffic_source_payout: '18.0',
      });
    }
    Object.assign(final, overrides);
    // The call ends now: it started total_duration ago, so no time (ended_at above all) lies in the
    // future and the times agree with the durations.
    const createdMs = nowMs - Number(final.total_duration ?? 0) * 1000;
    final.created_at = formatTdTime(createdMs);
    final.ended_at = formatTdTime(nowMs);
    const converted = isConvertedLabel(final.buyer_converted);
    const offerConverted = isConvertedLabel(final.traffic_source_converted ?? final.offer_converted);
    const answered = finalStatus === 'finished';

    const live: TdRecord = {
      ...final,
      status: 'initiated',
      ended_at: null,
      updated_at: formatTdTime(createdMs),
      total_duration: null,
      answered_duration: null,
      attempted_duration: null,
      hangup_cause: null,
      buyer_converted: 'Not Converted',
      traffic_source_converted: 'Not Converted',
      revenue: '0.0',
      buyer_revenue: '0.0',
      payout: '0.0',
      traffic_source_payout: '0.0',
      recording_url: null,
      connected_to: null,
      buyer: null,
      buyer_id: null,
    };
    const call: TdCall = { key: createdMs * 100, createdMs, record: live };
    this.calls.unshift(call);

    const phases: Array<[TrackDriveTrigger, TdRecord]> = [];
    const at = (ms: number) => ({ updated_at: formatTdTime(createdMs + ms) });
    phases.push(['incoming', { ...live }]);
    if (final.connected_to) {
      const ringing = {
        ...live,
        ...at(1_000),
        status: 'waiting',
        connected_to: final.connected_to,
        buyer: final.buyer,
        buyer_id: final.buyer_id,
      };
      phases.push(['ringing', ringing]);
      if (answered) phases.push(['answered', { ...ringing, ...at(2_000), status: 'forwarded' }]);
    }
    const ended = {
      ...final,
      buyer_converted: 'Not Converted',
      traffic_source_converted: 'Not Converted',
      revenue: '0.0',
      buyer_revenue: '0.0',
      payout: '0.0',
      traffic_source_payout: '0.0',
      recording_url: null,
    };
    // The end phases come after the call ended (updated_at never before ended_at).
    let step = Math.max(10_000, Number(final.total_duration ?? 0) * 1000);
    const next = (record: TdRecord) => ({ ...record, ...at((step += 1_000)) });
    let current = next(ended);
    phases.push(['completed', current]);
    if (converted) {
      current = next({
        ...current,
        buyer_converted: final.buyer_converted,
        revenue: final.revenue,
        buyer_revenue: final.buyer_revenue,
      });
      phases.push(['converted', current]);
    }
    if (offerConverted) {
      current = next({
        ...current,
        traffic_source_converted: final.traffic_source_converted,
        payout: final.payout,
        traffic_source_payout: final.traffic_source_payout,
      });
      phases.push(['payout', current]);
    }
    if (final.recording_url) {
      current = next({ ...current, recording_url: final.recording_url });
      phases.push(['recording', current]);
    }

    const templates = this.templatesFor(target);
    const fired: TrackDriveFiredWebhook[] = [];
    for (const [trigger, snapshot] of phases) {
      call.record = structuredClone(snapshot);
      const template = templates.find((t) => t.trigger === trigger);
      if (template) fired.push(await this.fireTemplate(template, trigger, snapshot));
      fired.push(...(await this.fireSubscriptions(trigger, snapshot)));
    }
    call.record = structuredClone(current);
    return fired;
  }

  private templatesFor(target: WebhookTarget): WebhookTemplate[] {
    const context: ProviderContext<typeof this.credentials> = {
      connectionId: 'simulator',
      provider: this.provider,
      credentials: this.credentials,
      settings: {},
      apiBaseUrl: this.baseUrl,
      webhookUrl: target.webhookUrl,
      http: { request: () => Promise.reject(new Error('the simulator only reads templates')) },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      now: () => new Date(),
    };
    return new TrackDriveAdapter(context).webhookTemplates({ url: target.webhookUrl, secret: target.secret });
  }

  private async fireTemplate(template: WebhookTemplate, trigger: TrackDriveTrigger, record: TdRecord) {
    const values = tokenValues(record);
    const url = renderTokens(template.url, values, encodeURIComponent);
    const body = template.body === undefined ? undefined : renderTokens(template.body, values, jsonEscape);
    const status = await deliver(template.method, url, template.headers ?? {}, body);
    return {
      trigger,
      status,
      callId: String(record.uuid),
      via: 'webhook' as const,
      providerTrigger: TRACKDRIVE_TRIGGER_SPECS[trigger].webhookTrigger,
    };
  }

  private async fireSubscriptions(
    trigger: TrackDriveTrigger,
    record: TdRecord,
  ): Promise<TrackDriveFiredWebhook[]> {
    const event = TRACKDRIVE_TRIGGER_SPECS[trigger].subscription.event;
    // Every change after the call ended is a call_changed for TrackDrive.
    const events = ['converted', 'payout', 'recording'].includes(trigger) ? ['call_changed'] : [event];
    const fired: TrackDriveFiredWebhook[] = [];
    for (const subscription of this.subscriptions.values()) {
      if (!events.includes(subscription.event) || !matchesTriggerFields(subscription.trigger_fields, record))
        continue;
      const status = await deliver(
        'POST',
        subscription.target_url,
        { 'Content-Type': 'application/json' },
        JSON.stringify(record),
      );
      fired.push({
        trigger,
        status,
        callId: String(record.uuid),
        via: 'subscription',
        providerTrigger: subscription.event,
      });
    }
    return fired;
  }
}

/** Values of the TrackDrive tokens the plugin's body template uses, from a call as it is now. */
function tokenValues(record: TdRecord): Record<string, string> {
  const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const digits = (v: unknown) => str(v).replace(/^\+/, '');
  const created = readDate(record.created_at);
  return {
    call_uuid: str(record.uuid),
    status: str(record.status),
    caller_id: digits(record.caller_number),
    number_called: digits(record.number_called),
    buyer_number: str(record.connected_to),
    offer_id: str(record.offer_id),
    offer_name: str(record.offer),
    buyer_name: str(record.buyer),
    call_start_time_utc: created ? formatTdTokenTime(created.getTime()) : '',
    total_duration: str(record.total_duration),
    agent_duration: str(record.answered_duration),
    revenue: str(record.revenue),
    payout: str(record.payout),
    provider_cost: str(record.provider_cost),
    buyer_converted: String(isConvertedLabel(record.buyer_converted)),
    offer_converted: String(isConvertedLabel(record.traffic_source_converted)),
    recording_url: str(record.recording_url),
    hangup_cause: str(record.hangup_cause),
    geo_state: str(record.caller_state),
  };
}

/**
 * TrackDrive's token syntax: `[name]` with an optional `{default}`. Known tokens without a value
 * render as the default or blank; tokens TrackDrive does not know stay as they are.
 */
export function renderTokens(
  template: string,
  values: Record<string, string>,
  escape: (v: string) => string,
): string {
  return template.replace(/\[([a-z0-9_]+)\](?:\{([^}]*)\})?/g, (whole, name: string, fallback?: string) => {
    if (!(name in values)) return whole;
    const value = values[name] || fallback || '';
    return escape(value);
  });
}

function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function isConvertedLabel(value: unknown): boolean {
  return value === true || value === 'Converted' || value === 'true' || value === 1;
}

function matchesTriggerFields(fields: Record<string, unknown>, record: TdRecord): boolean {
  for (const [key, wanted] of Object.entries(fields)) {
    let actual: unknown;
    if (key === 'buyer_converted') actual = isConvertedLabel(record.buyer_converted);
    else if (key === 'offer_converted') actual = isConvertedLabel(record.traffic_source_converted);
    else if (key === 'either_converted') {
      actual = isConvertedLabel(record.buyer_converted) || isConvertedLabel(record.traffic_source_converted);
    } else if (key === 'has_recording') actual = Boolean(record.recording_url);
    else actual = record[key];
    if (String(actual) !== String(wanted)) return false;
  }
  return true;
}

async function deliver(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
) {
  try {
    const response = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** created_at_from/_to: "2016-01-01 12:25:15 -0500" (or anything readDate understands); null = unreadable. */
function parseFilterDate(value: string | null): number | undefined | null {
  if (value === null || value === '') return undefined;
  const date = readDate(value);
  return date ? date.getTime() : null;
}

function parseBool(value: unknown): boolean | undefined {
  const text = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
