import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from '../seeded-random.js';
import type {
  FiredWebhook,
  ProviderSimulator,
  SimulatorFaults,
  SimulatorOptions,
  WebhookTarget,
} from '../simulator.js';
import {
  callRecord,
  generateHistory,
  numberRecord,
  tollFree,
  type History,
  type RetreaverCallRecord,
  type RetreaverCampaignRecord,
  type RetreaverNumberRecord,
} from './retreaver-history.js';
import { renderTemplate, send, templatesFor, type SentWebhook } from './retreaver-webhook-sender.js';

export interface RetreaverSimulatorOptions extends SimulatorOptions {
  /** Accepted `api_key` (default "sim-retreaver-key"). */
  apiKey?: string;
  /** Accepted `company_id` (default "1"). */
  companyId?: string;
  /** End of the generated history: calls are created in [anchor - historyHours, anchor). */
  anchor?: Date;
  /** Hours of history before the anchor (default 48). */
  historyHours?: number;
  /** Largest `per_page` honoured (Retreaver documents none; default 100). */
  maxPerPage?: number;
  /** Answer 429 when more API requests than this are in flight at once (Retreaver's real limit). */
  concurrencyLimit?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query without `api_key`. */
  query: Record<string, string>;
  status: number;
}

export interface RetreaverSimulator extends ProviderSimulator {
  readonly credentials: { apiKey: string; companyId: string };
  /** The calls the API serves, oldest first (live objects: tests may change them). */
  calls(): RetreaverCallRecord[];
  campaigns(): RetreaverCampaignRecord[];
  numbers(): RetreaverNumberRecord[];
  /** Every API request served, in order. */
  requests(): RequestLogEntry[];
  /** Every webhook simulateCall sent, with its rendered URL. */
  sentWebhooks(): SentWebhook[];
  /** Most API requests that were in flight at once. */
  peakConcurrency(): number;
}

export const DEFAULT_ANCHOR = new Date('2026-03-02T00:00:00Z');
const DEFAULT_PER_PAGE = 25;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * A loopback Retreaver Core API: `api_key` + `company_id` query auth (401 wrong key, 403 wrong or
 * missing company), bare-array bodies with `Link` paging, `{"error": "..."}` error bodies, the
 * calls, campaigns, numbers and reports endpoints the plugin uses, injectable faults, and campaign
 * webhooks fired from the plugin's own templates.
 */
class RetreaverSimulatorServer implements RetreaverSimulator {
  readonly provider = 'retreaver';
  readonly credentials: { apiKey: string; companyId: string };
  private readonly server: http.Server;
  private readonly rng: SeededRandom;
  private readonly history: History;
  private readonly maxPerPage: number;
  private faults: SimulatorFaults = {};
  private readonly log: RequestLogEntry[] = [];
  private readonly sent: SentWebhook[] = [];
  /** Pending latency timers, cleared on stop so a slow answer never outlives the server. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private peak = 0;
  private serverErrorToggle = false;
  private nextNumberId = 5_000_000;
  private url = '';

  constructor(private readonly options: RetreaverSimulatorOptions) {
    const seed = options.seed ?? 1;
    this.credentials = { apiKey: options.apiKey ?? 'sim-retreaver-key', companyId: options.companyId ?? '1' };
    this.rng = new SeededRandom(seed ^ 0x5eed);
    this.history = generateHistory({
      seed,
      calls: options.historyCalls ?? 120,
      anchor: options.anchor ?? options.historyEnd ?? DEFAULT_ANCHOR,
      hours: options.historyHours ?? 48,
    });
    this.maxPerPage = options.maxPerPage ?? 100;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1_000;
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('retreaver simulator is not started');
    return this.url;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${address.address}:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  injectFaults(faults: SimulatorFaults): void {
    this.faults = { ...this.faults, ...faults };
  }

  requestCount(pathPrefix = ''): number {
    return this.log.filter((entry) => entry.path.startsWith(pathPrefix)).length;
  }

  calls(): RetreaverCallRecord[] {
    return this.history.calls;
  }

  campaigns(): RetreaverCampaignRecord[] {
    return this.history.campaigns;
  }

  numbers(): RetreaverNumberRecord[] {
    return this.history.numbers;
  }

  requests(): RequestLogEntry[] {
    return [...this.log];
  }

  sentWebhooks(): SentWebhook[] {
    return [...this.sent];
  }

  peakConcurrency(): number {
    return this.peak;
  }

  /**
   * One live call through the campaign's webhooks: Start, Selected, answered (when connected),
   * the convert trigger (when converted) and end of call (after everything else, as Retreaver
   * fires it "after all pixels have fired"). The call is in the API's history from the start, so
   * `getCall` during and after the lifecycle sees it.
   */
  async simulateCall(
    target: WebhookTarget,
    overrides: Record<string, unknown> = {},
  ): Promise<FiredWebhook[]> {
    const now = Date.now();
    const connected = overrides.connected === undefined ? true : Boolean(overrides.connected);
    const converted =
      connected && (overrides.converted === undefined ? this.rng.bool(0.5) : Boolean(overrides.converted));
    const finished = callRecord(this.rng, {
      created: now,
      campaigns: this.history.campaigns,
      numbers: this.history.numbers,
      targets: this.history.targets,
      connected,
      converted,
    });
    Object.assign(finished, overrides);
    const callKey = this.rng.hex(32);
    const callLogId = String(this.rng.int(10_000_000, 99_999_999));

    // While live, the API shows the call in progress.
    const record: RetreaverCallRecord = {
      ...finished,
      status: 'in_progress',
      connected: false,
      converted: false,
      end_time: null,
      total_duration: null,
      dialed_call_duration: null,
      recording_url: null,
      revenue: null,
      payout: null,
    };
    this.history.calls.push(record);

    const templates = new Map(templatesFor(target).map((t) => [t.trigger, t]));
    const stages: Array<[string, () => void]> = [['incoming', () => undefined]];
    // Selected fires only when a buyer/target was chosen.
    if (finished.system_target_id != null) stages.push(['selected', () => undefined]);
    if (connected) stages.push(['answered', () => Object.assign(record, { connected: true })]);
    if (converted) {
      stages.push([
        'converted',
        () => Object.assign(record, { converted: true, revenue: finished.revenue, payout: finished.payout }),
      ]);
    }
    stages.push(['completed', () => Object.assign(record, finished)]);

    const fired: FiredWebhook[] = [];
    for (const [trigger, apply] of stages) {
      apply();
      const template = templates.get(trigger);
      if (!template) continue;
      const selected = trigger !== 'incoming' && record.system_target_id != null;
      const tokens: Record<string, string | undefined> = {
        call_uuid: record.uuid,
        call_key: callKey,
        call_log_id: callLogId,
        caller_id: str(record.caller),
        called_number: str(record.number),
        campaign_id: str(record.cid),
        affiliate_id: str(record.afid),
        sub_id: str(record.sid),
        call_duration: trigger === 'completed' ? str(record.total_duration) : str(record.ivr_duration),
        call_recording_url: str(record.recording_url),
        caller_state: str(record.caller_state),
        caller_zip: str(record.caller_zip),
        caller_city: str(record.caller_city),
        // a tag only exists once the target was chosen; before that Retreaver has no value for it
        ...(selected ? { system_target_id: str(record.system_target_id) } : {}),
      };
      const result = await send(template, renderTemplate(template, tokens), record.uuid);
      this.sent.push(result);
      fired.push({ trigger, status: result.status, callId: record.uuid });
    }
    return fired;
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: redact(query),
      status: 0,
    };
    this.log.push(entry);
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      const body = await readBody(req);
      if (this.faults.latencyMs) await this.delay(this.faults.latencyMs);
      const answer = this.route(entry.method, url, query, body);
      entry.status = answer.status;
      this.write(res, answer.status, answer.body, answer.headers);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      entry.status = status;
      const message = error instanceof HttpError ? error.message : 'Internal Server Error';
      this.write(res, status, { error: message }, error instanceof HttpError ? error.headers : {});
    } finally {
      this.inFlight--;
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private write(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  private route(
    method: string,
    url: URL,
    query: Record<string, string>,
    rawBody: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    // Retreaver checks the key, then the company (403 also covers a missing company_id).
    if (!query.api_key || query.api_key !== this.credentials.apiKey) {
      throw new HttpError(401, 'Unauthorized: your API key is wrong or missing');
    }
    if (!query.company_id || query.company_id !== this.credentials.companyId) {
      throw new HttpError(403, 'Forbidden: pass the company_id of a company this key can access');
    }
    if (this.options.concurrencyLimit && this.inFlight > this.options.concurrencyLimit) {
      throw new HttpError(429, 'Too Many Requests: highly concurrent requests are frowned upon', {
        'retry-after': '1',
      });
    }
    if (this.faults.serverErrors) {
      this.faults.serverErrors--;
      this.serverErrorToggle = !this.serverErrorToggle;
      throw this.serverErrorToggle
        ? new HttpError(500, 'Internal Server Error: we had a problem with our server')
        : new HttpError(503, 'Service Unavailable: temporarily offline for maintenance');
    }
    if (this.faults.rateLimited) {
      this.faults.rateLimited--;
      throw new HttpError(429, 'Too Many Requests', {
        'retry-after': String(this.faults.retryAfterSeconds ?? 1),
      });
    }

    const path = url.pathname;
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, 'Method Not Allowed');
    };
    let match: RegExpExecArray | null;
    if (path === '/api/v2/calls.json') {
      allow('GET');
      return this.listCalls(url, query);
    }
    if ((match = /^\/api\/v2\/calls\/([^/]+)\.json$/.exec(path))) {
      allow('GET');
      const id = decodeURIComponent(match[1]);
      const call = this.history.calls.find((c) => c.uuid === id);
      if (!call) throw new HttpError(404, 'Not Found');
      return { status: 200, body: { call } };
    }
    if (path === '/campaigns.json') {
      allow('GET');
      return this.page(
        url,
        query,
        this.history.campaigns.map((campaign) => ({ campaign })),
      );
    }
    if ((match = /^\/campaigns\/cid\/([^/]+)\.json$/.exec(path))) {
      allow('GET');
      const cid = decodeURIComponent(match[1]);
      const campaign = this.history.campaigns.find((c) => c.cid === cid);
      if (!campaign) throw new HttpError(404, 'Not Found');
      return { status: 200, body: { campaign } };
    }
    if (path === '/numbers.json') {
      allow('GET', 'POST');
      if (method === 'POST') return this.createNumber(rawBody);
      const numbers = this.history.numbers.filter(
        (n) =>
          (!query.client_cid || n.cid === query.client_cid) &&
          (!query.client_afid || n.afid === query.client_afid) &&
          (!query.sub_id || n.sid === query.sub_id),
      );
      return this.page(
        url,
        query,
        numbers.map((number) => ({ number })),
      );
    }
    if ((match = /^\/numbers\/([^/]+)\.json$/.exec(path))) {
      allow('GET', 'DELETE');
      const id = decodeURIComponent(match[1]);
      const index = this.history.numbers.findIndex((n) => String(n.id) === id);
      if (index < 0) throw new HttpError(404, 'Not Found');
      if (method === 'GET') return { status: 200, body: { number: this.history.numbers[index] } };
      this.history.numbers.splice(index, 1);
      return { status: 200 };
    }
    if (path === '/api/v1/reports.json') {
      allow('GET');
      return this.report(url, query);
    }
    throw new HttpError(404, 'Not Found');
  }

  private listCalls(url: URL, query: Record<string, string>) {
    const from = query.created_at_start ? parseTime(query.created_at_start, 'created_at_start') : undefined;
    const to = query.created_at_end ? parseTime(query.created_at_end, 'created_at_end') : undefined;
    const sortBy = query.sort_by === 'updated_at' ? 'updated_at' : 'created_at';
    // Retreaver: sorting by updated_at is always descending.
    const desc = sortBy === 'updated_at' || query.order !== 'asc';
    const calls = this.history.calls
      .filter((c) => {
        const created = Date.parse(c.created_at);
        return (
          (from === undefined || created >= from) &&
          (to === undefined || created < to) &&
          (!query.client_cid || c.cid === query.client_cid) &&
          (!query.caller || c.caller === query.caller)
        );
      })
      .sort((a, b) => {
        const diff = Date.parse(String(a[sortBy])) - Date.parse(String(b[sortBy]));
        return (desc ? -diff : diff) || a.uuid.localeCompare(b.uuid);
      });
    const answer = this.page(
      url,
      query,
      calls.map((call) => ({ call })),
    );
    if (this.faults.malformedRows && Array.isArray(answer.body) && answer.body.length > 0) {
      const bad: unknown[] = [
        { call: { uuid: null, caller: '+12025550100', status: 'finished' } },
        { unexpected: { uuid: 'not-a-call' } },
        'garbage',
        { call: 'not an object' },
        null,
      ];
      for (let i = 0; i < this.faults.malformedRows; i++) {
        answer.body.splice(Math.min(i * 2 + 1, answer.body.length), 0, bad[i % bad.length]);
      }
      this.faults.malformedRows = 0;
    }
    return answer;
  }

  /** A page of an index, with the `Link` header Retreaver sends (URLs include the api_key, as Retreaver's do). */
  private page(
    url: URL,
    query: Record<string, string>,
    rows: unknown[],
  ): { status: number; body: unknown[]; headers: Record<string, string> } {
    const perPage = clampInt(query.per_page, DEFAULT_PER_PAGE, 1, this.maxPerPage);
    const page = clampInt(query.page, 1, 1, Number.MAX_SAFE_INTEGER);
    const last = Math.max(1, Math.ceil(rows.length / perPage));
    const body = rows.slice((page - 1) * perPage, page * perPage);
    const link = (n: number, rel: string) => {
      const target = new URL(url.pathname, this.url);
      for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
      target.searchParams.set('page', String(n));
      return `<${target.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(1, 'first'), link(Math.min(page - 1, last), 'prev'));
    if (page < last) links.push(link(last, 'last'), link(page + 1, 'next'));
    return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} };
  }

  private createNumber(rawBody: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody || '{}');
    } catch {
      throw new HttpError(400, 'Bad Request: your request was unintelligible');
    }
    const input = (parsed as { number?: Record<string, unknown> }).number;
    if (!input || typeof input !== 'object') throw new HttpError(400, 'Bad Request: missing number');
    const cid = typeof input.cid === 'string' ? input.cid : undefined;
    const afid = typeof input.afid === 'string' ? input.afid : undefined;
    if (!cid || !afid) throw new HttpError(400, 'Bad Request: cid and afid are required');
    if (!this.history.campaigns.some((c) => c.cid === cid))
      throw new HttpError(400, `Bad Request: no campaign ${cid}`);
    const type = input.type ?? 'Toll-free';
    if (type !== 'Toll-free' && type !== 'Local')
      throw new HttpError(400, 'Bad Request: type must be Toll-free or Local');
    let number: string;
    do {
      number = type === 'Local' ? this.rng.phone() : tollFree(this.rng);
    } while (this.history.numbers.some((n) => n.number === number));
    const record = numberRecord(
      ++this.nextNumberId,
      number,
      type === 'Toll-free',
      cid,
      this.rng,
      afid,
      typeof input.sid === 'string' ? input.sid : null,
    );
    this.history.numbers.push(record);
    return { status: 201, body: { number: record } };
  }

  private report(url: URL, query: Record<string, string>) {
    if (query.domain !== 'calls') throw new HttpError(400, "Bad Request: domain must be 'calls'");
    if (query.facet !== 'campaign')
      throw new HttpError(400, 'Bad Request: this simulator reports facet=campaign only');
    if (!query.created_at_start || !query.created_at_end) {
      throw new HttpError(400, 'Bad Request: created_at_start and created_at_end are required');
    }
    const from = parseTime(query.created_at_start, 'created_at_start');
    const to = parseTime(query.created_at_end, 'created_at_end');
    if (from >= to) throw new HttpError(400, 'Bad Request: created_at_start must be before created_at_end');
    const rows = new Map<string, Record<string, number | string>>();
    for (const call of this.history.calls) {
      const created = Date.parse(call.created_at);
      if (created < from || created >= to) continue;
      const id = call.cid ?? '';
      const row = rows.get(id) ?? {
        id,
        facet_name: String(call.campaign_name ?? id),
        total_calls: 0,
        converted_count: 0,
        revenue: 0,
        payout: 0,
        cost: 0,
        in_progress_count: 0,
      };
      row.total_calls = Number(row.total_calls) + 1;
      if (call.converted) row.converted_count = Number(row.converted_count) + 1;
      if (call.status === 'in_progress') row.in_progress_count = Number(row.in_progress_count) + 1;
      row.revenue = round2(Number(row.revenue) + Number(call.revenue ?? 0));
      row.payout = round2(Number(row.payout) + Number(call.payout ?? 0));
      row.cost = round2(Number(row.cost) + Number(call.total_cost ?? 0));
      rows.set(id, row);
    }
    const data = [...rows.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const answer = this.page(url, query, data);
    return { ...answer, body: { count: answer.body.length, count_total: data.length, data: answer.body } };
  }
}

/** Starts nothing: call `start()`. Credentials: `simulator.credentials` ({ apiKey, companyId }). */
export function createRetreaverSimulator(options: RetreaverSimulatorOptions = {}): RetreaverSimulator {
  return new RetreaverSimulatorServer(options);
}

function str(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function redact(query: Record<string, string>): Record<string, string> {
  const { api_key: _key, ...rest } = query;
  return rest;
}

function parseTime(value: string, name: string): number {
  // A `+` in an unencoded query arrives as a space.
  const ms = Date.parse(value.replace(' ', '+'));
  if (Number.isNaN(ms)) throw new HttpError(400, `Bad Request: ${name} is not an RFC 3339 time`);
  return ms;
}

function clampInt(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(Math.max(n, min), max);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
