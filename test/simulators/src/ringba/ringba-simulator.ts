import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RingbaAdapter, type PixelMethod, type RingbaCredentials } from '@switchboard/plugin-ringba';
import type { PluginLogger, ProviderContext, WebhookTemplate } from '@switchboard/plugin-sdk';
import { SeededRandom } from '../seeded-random.js';
import type {
  FiredWebhook,
  ProviderSimulator,
  SimulatorFaults,
  SimulatorOptions,
  WebhookTarget,
} from '../simulator.js';
import { renderPixel } from './ringba-pixels.js';
import {
  LIFECYCLE,
  buildWorld,
  displayOf,
  historicCall,
  newCall,
  pickOutcome,
  ringbaId,
  type SimCallRecord,
  type SimNumber,
  type SimOutcome,
  type SimWorld,
} from './ringba-world.js';

export interface RingbaSimulatorOptions extends SimulatorOptions {
  /** Method of the pixels the simulator fires (the plugin's `pixelMethod` setting). Default GET. */
  pixelMethod?: PixelMethod;
  /** End of the generated history; calls are spread over the 3 days before it. */
  historyEnd?: Date;
}

/** Extra knobs of `simulateCall(target, overrides)`; other keys overwrite call-log fields. */
export interface RingbaCallOverrides {
  outcome?: Exclude<SimOutcome, 'live'>;
  /** Whether a Recording pixel follows (answered calls only). Default true. */
  hasRecording?: boolean;
  /** Tokens Ringba leaves unreplaced in this call's pixels (e.g. "[tag:Campaign:Id]"). */
  unreplacedTokens?: string[];
}

interface Served {
  /** Path under the account: "/calllogs", "/numbers/PN..."; the full path when outside one. */
  path: string;
  fullPath: string;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

const HISTORY_SPAN_MS = 3 * 24 * 3600 * 1000;
const DEFAULT_HISTORY_END = Date.UTC(2025, 5, 1, 12, 0, 0);
const MAX_SIZE = 1000;
const DEFAULT_SIZE = 100;
const silentLogger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * Ringba's API subset on loopback (`/v2/{accountId}/...`): `Authorization: Token {apiToken}`,
 * call logs with reportStart/reportEnd + size/offset and the `{isSuccessful, transactionId,
 * report: {partialResult, records, totalCount}}` envelope, call-log detail, campaigns, numbers
 * (list, create, delete with `?unlink=true`), 429 with Retry-After and Ringba's rate-limit body,
 * injectable 5xx, latency and malformed rows. Fires Tracking Pixels rendered from the plugin's
 * own templates.
 */
export class RingbaSimulator implements ProviderSimulator {
  readonly provider = 'ringba';
  readonly credentials: { accountId: string; apiToken: string };
  readonly world: SimWorld;
  private readonly calls: SimCallRecord[] = [];
  private readonly random: SeededRandom;
  private readonly liveRandom: SeededRandom;
  private readonly served: Served[] = [];
  private faults: SimulatorFaults & { serverErrors: number; rateLimited: number; malformedRows: number } = {
    serverErrors: 0,
    rateLimited: 0,
    malformedRows: 0,
  };
  private server?: http.Server;
  private url?: string;
  private transactions = 0;
  /**
   * Recent call-log queries' rows (by window, filters and order), dropped when calls are added:
   * paging a 200k-call history would otherwise filter and sort all of it for every page.
   */
  private readonly queried = new Map<string, SimCallRecord[]>();
  private queriedLength = 0;

  constructor(private readonly options: RingbaSimulatorOptions = {}) {
    const seed = options.seed ?? 1;
    this.random = new SeededRandom(seed);
    this.liveRandom = new SeededRandom(seed ^ 0x5bd1e995);
    this.credentials = { accountId: ringbaId(this.random, 'RA'), apiToken: `sim${this.random.hex(37)}` };
    this.world = buildWorld(this.random);
    const end = (options.historyEnd ?? new Date(DEFAULT_HISTORY_END)).getTime();
    const count = options.historyCalls ?? 250;
    const step = Math.floor(HISTORY_SPAN_MS / Math.max(count, 1));
    for (let i = 0; i < count; i++) {
      const callDt = end - HISTORY_SPAN_MS + i * step + this.random.int(0, Math.floor(step / 2));
      const outcome = i >= count - 2 ? 'live' : pickOutcome(this.random);
      this.calls.push(historicCall(this.random, this.world, callDt, outcome));
    }
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('ringba simulator is not started');
    return this.url;
  }

  /** Every call of the log, oldest first (live copies: simulateCall updates them). */
  history(): readonly SimCallRecord[] {
    return this.calls;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve);
    });
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.url = `http://${address}:${port}/v2`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  injectFaults(faults: SimulatorFaults): void {
    this.faults = {
      ...this.faults,
      ...faults,
      serverErrors: faults.serverErrors ?? this.faults.serverErrors,
      rateLimited: faults.rateLimited ?? this.faults.rateLimited,
      malformedRows: faults.malformedRows ?? this.faults.malformedRows,
    };
  }

  requestCount(pathPrefix?: string): number {
    if (!pathPrefix) return this.served.length;
    return this.served.filter((s) => s.path.startsWith(pathPrefix) || s.fullPath.startsWith(pathPrefix))
      .length;
  }

  /** Arrival times (ms since the epoch) of the API requests served (by path), oldest first. */
  requestTimes(pathPrefix?: string): number[] {
    return this.served
      .filter((s) => !pathPrefix || s.path.startsWith(pathPrefix) || s.fullPath.startsWith(pathPrefix))
      .map((s) => s.at);
  }

  /** The pixel templates the plugin hands out for this target, by trigger. */
  templates(target: WebhookTarget): Map<string, WebhookTemplate> {
    const context: ProviderContext<RingbaCredentials> = {
      connectionId: 'ringba-simulator',
      provider: 'ringba',
      credentials: this.credentials,
      settings: { pixelMethod: this.options.pixelMethod ?? 'GET' },
      apiBaseUrl: this.url,
      webhookUrl: target.webhookUrl,
      http: { request: () => Promise.reject(new Error('the simulator only renders templates')) },
      logger: silentLogger,
      now: () => new Date(),
    };
    const templates = new RingbaAdapter(context).webhookTemplates({
      url: target.webhookUrl,
      secret: target.secret,
    });
    return new Map(templates.map((t) => [t.trigger, t]));
  }

  async simulateCall(
    target: WebhookTarget,
    overrides: Record<string, unknown> = {},
  ): Promise<FiredWebhook[]> {
    const {
      outcome = 'converted',
      hasRecording = true,
      unreplacedTokens = [],
      ...fields
    } = overrides as RingbaCallOverrides & Record<string, unknown>;
    const templates = this.templates(target);
    const keep = new Set(unreplacedTokens);
    const random = this.liveRandom;
    const call = newCall(random, this.world, Date.now());
    Object.assign(call, fields);
    const campaign = this.world.campaigns.find((c) => c.id === call.campaignId);
    if (campaign) call.campaignName = campaign.name;
    this.calls.push(call);

    const fired: FiredWebhook[] = [];
    const fire = async (trigger: string) => {
      const template = templates.get(trigger);
      if (!template) throw new Error(`plugin has no template for trigger ${trigger}`);
      fired.push({
        trigger,
        callId: call.inboundCallId,
        status: await send(renderPixel(template, call, keep)),
      });
    };

    await fire('incoming');
    switch (outcome) {
      case 'converted':
      case 'completed':
        LIFECYCLE.connect(random, this.world, call);
        await fire('connected');
        if (outcome === 'converted') {
          LIFECYCLE.convert(random, call);
          await fire('converted');
          LIFECYCLE.pay(random, call);
          await fire('payout');
        }
        LIFECYCLE.end(random, call, 'Caller');
        await fire('completed');
        await fire('finalized');
        if (hasRecording) {
          LIFECYCLE.record(random, call);
          await fire('recording');
        }
        break;
      case 'missed':
        Object.assign(call, { targetId: random.pick(this.world.targets).id });
        LIFECYCLE.end(random, call, 'Target');
        await fire('finalized');
        break;
      case 'canceled':
        LIFECYCLE.end(random, call, 'Caller');
        await fire('finalized');
        break;
      case 'error':
        LIFECYCLE.incomplete(call, 'Call Failed');
        await fire('error');
        LIFECYCLE.end(random, call, 'System');
        await fire('finalized');
        break;
      case 'rejected':
        LIFECYCLE.block(call, 'Duplicate Caller');
        LIFECYCLE.end(random, call, 'System');
        await fire('finalized');
        break;
    }
    return fired;
  }

  // ---- HTTP ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://simulator');
    try {
      if (this.faults.latencyMs) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      const match = /^\/v2\/([^/]+)(\/.*)?$/.exec(url.pathname);
      this.served.push({ path: match?.[2] ?? url.pathname, fullPath: url.pathname, at: Date.now() });
      this.applyFaults();
      if (req.headers.authorization !== `Token ${this.credentials.apiToken}`) {
        throw new HttpError(401, { message: 'Authorization has been denied for this request.' });
      }
      if (!match) throw notFound();
      if (decodeURIComponent(match[1]) !== this.credentials.accountId) {
        throw new HttpError(403, { message: 'User does not have access to this account.' });
      }
      const body = raw ? parseJson(raw) : undefined;
      const answer = this.route(req.method ?? 'GET', match[2] ?? '/', url.searchParams, body);
      reply(res, 200, { transactionId: this.transactionId(), ...answer });
    } catch (error) {
      if (error instanceof HttpError) reply(res, error.status, error.body, error.headers);
      else reply(res, 500, { message: 'An error has occurred.' });
    }
  }

  private applyFaults(): void {
    if (this.faults.rateLimited > 0) {
      this.faults.rateLimited--;
      const seconds = this.faults.retryAfterSeconds ?? 1;
      throw new HttpError(
        429,
        {
          isRateLimited: true,
          exceedingRateLimit: 'perMinute',
          rateLimit: { perMinute: { limit: 80, currentCount: 81 } },
        },
        { 'retry-after': String(seconds) },
      );
    }
    if (this.faults.serverErrors > 0) {
      this.faults.serverErrors--;
      throw this.faults.serverErrors % 2 === 0
        ? new HttpError(503, 'Service Unavailable', { 'content-type': 'text/html' })
        : new HttpError(500, { message: 'An error has occurred.' });
    }
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): Record<string, unknown> {
    const numberMatch = /^\/numbers\/([^/]+)$/.exec(path);
    const campaignMatch = /^\/campaigns\/([^/]+)$/.exec(path);
    if (method === 'GET' && path === '/calllogs/columns') {
      return { columns: Object.keys(this.calls[0] ?? {}).map((id) => ({ id, title: id })) };
    }
    if (method === 'POST' && path === '/calllogs') return this.callLogs(body);
    if (method === 'POST' && path === '/calllogs/detail') return this.callLogDetail(body);
    if (method === 'GET' && path === '/campaigns') return { campaigns: this.world.campaigns };
    if (method === 'GET' && campaignMatch) {
      const campaign = this.world.campaigns.find((c) => c.id === decodeURIComponent(campaignMatch[1]));
      if (!campaign) throw notFound();
      return { campaign };
    }
    if (method === 'GET' && path === '/numbers') return { numbers: this.world.numbers };
    if (method === 'POST' && path === '/numbers') return this.createNumber(body);
    if (method === 'DELETE' && numberMatch) {
      return this.deleteNumber(decodeURIComponent(numberMatch[1]), query.get('unlink') === 'true');
    }
    throw notFound();
  }

  private callLogs(body: unknown): Record<string, unknown> {
    const request = asObject(body);
    const start = Date.parse(String(request.reportStart ?? ''));
    const end = Date.parse(String(request.reportEnd ?? ''));
    if (Number.isNaN(start) || Number.isNaN(end))
      throw badRequest('reportStart and reportEnd are required UTC dates');
    const size = request.size === undefined ? DEFAULT_SIZE : Number(request.size);
    const offset = request.offset === undefined ? 0 : Number(request.offset);
    if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)
      throw badRequest(`size must be 1..${MAX_SIZE}`);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('offset must be 0 or more');

    const rows = this.query(start, end, request.filters, request.orderByColumns);
    const columns = Array.isArray(request.valueColumns)
      ? request.valueColumns.map((c) => String(asObject(c).column))
      : undefined;
    const page: unknown[] = rows.slice(offset, offset + size).map((row) => listRow(row, columns));
    for (let i = 0; i < page.length && this.faults.malformedRows > 0; i++, this.faults.malformedRows--) {
      page[i] = [null, 'corrupt-row', { callDt: 'not-a-date', campaignName: 'row without id' }][i % 3];
    }
    return { isSuccessful: true, report: { partialResult: false, records: page, totalCount: rows.length } };
  }

  /** The calls of [start, end] matching the filters, in order (cached while no call is added). */
  private query(start: number, end: number, filters: unknown, orderBy: unknown): SimCallRecord[] {
    if (this.queriedLength !== this.calls.length) {
      this.queried.clear();
      this.queriedLength = this.calls.length;
    }
    const key = JSON.stringify([start, end, filters ?? null, orderBy ?? null]);
    let rows = this.queried.get(key);
    if (!rows) {
      // reportEnd is inclusive here, as the plugin assumes Ringba's is [I].
      rows = sortRows(
        this.calls.filter((c) => c.callDt >= start && c.callDt <= end && matchesFilters(c, filters)),
        orderBy,
      );
      if (this.queried.size >= 16) this.queried.delete(this.queried.keys().next().value as string);
      this.queried.set(key, rows);
    }
    return rows;
  }

  private callLogDetail(body: unknown): Record<string, unknown> {
    const ids = asObject(body).InboundCallIds;
    if (!Array.isArray(ids) || ids.length === 0) throw badRequest('InboundCallIds must be a non-empty array');
    const records = this.calls.filter((c) => ids.includes(c.inboundCallId)).map((c) => structuredClone(c));
    return { isSuccessful: true, report: { partialResult: false, records, totalCount: records.length } };
  }

  private createNumber(body: unknown): Record<string, unknown> {
    const request = asObject(body);
    if (typeof request.countryCode !== 'string' || !request.countryCode)
      throw badRequest('countryCode is required');
    if (typeof request.isTollFree !== 'boolean') throw badRequest('isTollFree is required');
    if (typeof request.chargeAccountIfNeeded !== 'boolean')
      throw badRequest('chargeAccountIfNeeded is required');
    if (request.countryCode !== 'US') throw badRequest('only US numbers are available in the simulator');
    const areaCode = request.areaCode === undefined ? undefined : String(request.areaCode);
    if (areaCode !== undefined && !/^[2-9]\d{2}$/.test(areaCode))
      throw badRequest('areaCode must be a US area code');
    const line = String(this.random.int(0, 99)).padStart(2, '0');
    const phoneNumber = request.isTollFree
      ? `+1888555${line}${String(this.random.int(10, 99))}`
      : `+1${areaCode ?? this.random.int(201, 989)}55501${line}`;
    const number: SimNumber = {
      id: ringbaId(this.random, 'PN'),
      phoneNumber,
      displayNumber: displayOf(phoneNumber),
      isTollFree: request.isTollFree,
    };
    this.world.numbers.push(number);
    return { isSuccessful: true, numberId: number.id, number };
  }

  private deleteNumber(id: string, unlink: boolean): Record<string, unknown> {
    const index = this.world.numbers.findIndex((n) => n.id === id);
    if (index < 0) throw notFound();
    const number = this.world.numbers[index];
    if ((number.campaignId || number.affiliate) && !unlink) {
      throw badRequest('The number is linked to other objects. Unlink it first or use ?unlink=true.');
    }
    this.world.numbers.splice(index, 1);
    return { isSuccessful: true };
  }

  private transactionId(): string {
    return `TR${String(++this.transactions).padStart(8, '0')}-sim`;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function badRequest(message: string): HttpError {
  return new HttpError(400, { isSuccessful: false, message });
}

function notFound(): HttpError {
  return new HttpError(404, { message: 'No HTTP resource was found that matches the request URI.' });
}

/** Call-log rows carry no detail (events, message-tags) and only the asked columns. */
function listRow(call: SimCallRecord, columns: string[] | undefined): Record<string, unknown> {
  const { events: _events, 'message-tags': _tags, ...row } = call;
  if (!columns) return row;
  return Object.fromEntries(columns.filter((c) => c in row).map((c) => [c, row[c]]));
}

/** `filters: [{anyConditionToMatch: [...]}]`: OR inside a group, AND across groups (R1). */
function matchesFilters(call: SimCallRecord, filters: unknown): boolean {
  if (!Array.isArray(filters)) return true;
  return filters.every((group) => {
    const conditions = asObject(group).anyConditionToMatch;
    if (!Array.isArray(conditions)) return true;
    return conditions.some((condition) => {
      const { column, value, isNegativeMatch, comparisonType } = asObject(condition);
      const actual = String(call[String(column)] ?? '');
      const expected = String(value ?? '');
      let hit: boolean;
      switch (comparisonType) {
        case 'CONTAINS':
          hit = actual.includes(expected);
          break;
        case 'BEGINS_WITH':
          hit = actual.startsWith(expected);
          break;
        case 'GREATER_THAN':
          hit = Number(actual) > Number(expected);
          break;
        case 'LESS_THAN':
          hit = Number(actual) < Number(expected);
          break;
        default:
          hit = actual === expected;
      }
      return isNegativeMatch === true ? !hit : hit;
    });
  });
}

/** Ringba's default order is call date, newest first (R1). */
function sortRows(rows: SimCallRecord[], orderBy: unknown): SimCallRecord[] {
  const order =
    Array.isArray(orderBy) && orderBy.length > 0
      ? orderBy.map(asObject)
      : [{ column: 'callDt', direction: 'desc' }];
  return [...rows].sort((a, b) => {
    for (const { column, direction } of order) {
      const x = a[String(column)] as string | number | undefined;
      const y = b[String(column)] as string | number | undefined;
      if (x === y) continue;
      const cmp = x === undefined ? -1 : y === undefined ? 1 : x < y ? -1 : 1;
      return String(direction).toLowerCase() === 'desc' ? -cmp : cmp;
    }
    return 0;
  });
}

function reply(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const isText = typeof body === 'string';
  res.writeHead(status, {
    'content-type': isText ? 'text/plain' : 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(isText ? body : JSON.stringify(body));
}

async function send(pixel: { method: string; url: string; headers: Record<string, string>; body?: string }) {
  try {
    const response = await fetch(pixel.url, {
      method: pixel.method,
      headers: pixel.headers,
      body: pixel.body,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
