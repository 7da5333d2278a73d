import type {
  PluginLogger,
  ProviderContext,
  ProviderHttpClient,
  ProviderHttpRequest,
  ProviderHttpResponse,
} from '@switchboard/plugin-sdk';
import { ProviderError, capabilitiesOf } from '@switchboard/plugin-sdk';
import { RetreaverAdapter, rfc3339 } from './retreaver.adapter.js';
import type { RetreaverCredentials } from './retreaver.credentials.js';
import { decodeCursor, encodeCursor } from './retreaver.cursor.js';

/** Answers scripted responses in order and records every request. */
class ScriptedHttp implements ProviderHttpClient {
  readonly requests: ProviderHttpRequest[] = [];
  constructor(private readonly answers: Array<Partial<ProviderHttpResponse>>) {}
  async request<T>(request: ProviderHttpRequest): Promise<ProviderHttpResponse<T>> {
    this.requests.push(request);
    const answer = this.answers.shift();
    if (!answer) throw new Error('no scripted answer left');
    return { status: 200, headers: {}, body: undefined, ...answer } as ProviderHttpResponse<T>;
  }
}

const logger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };
const WINDOW = { from: new Date('2026-03-01T00:00:00.750Z'), to: new Date('2026-03-02T00:00:00Z') };

function context(http: ProviderHttpClient, overrides: Partial<ProviderContext<RetreaverCredentials>> = {}) {
  const ctx: ProviderContext<RetreaverCredentials> = {
    connectionId: 'c1',
    provider: 'retreaver',
    credentials: { apiKey: 'KEY', companyId: '42' },
    settings: {},
    webhookUrl: 'https://sb.example.com/webhooks/retreaver/c1',
    http,
    logger,
    now: () => new Date('2026-03-02T12:00:00Z'),
    ...overrides,
  };
  return ctx;
}

function adapter(answers: Array<Partial<ProviderHttpResponse>>, apiBaseUrl?: string) {
  const http = new ScriptedHttp(answers);
  return { adapter: new RetreaverAdapter(context(http, { apiBaseUrl })), http };
}

const row = (uuid: string) => ({ call: { uuid, status: 'finished', connected: true } });

describe('RetreaverAdapter requests', () => {
  it('asks the real host by default, and the override host without a trailing slash', async () => {
    const real = adapter([{ body: [] }]);
    await real.adapter.getCalls(WINDOW);
    expect(real.http.requests[0].url).toBe('https://api.retreaver.com/api/v2/calls.json');
    const sim = adapter([{ body: [] }], 'http://127.0.0.1:4000/');
    await sim.adapter.getCalls(WINDOW);
    expect(sim.http.requests[0].url).toBe('http://127.0.0.1:4000/api/v2/calls.json');
  });

  it('sends the window at whole seconds, oldest first, with the credentials', async () => {
    const { adapter: a, http } = adapter([{ body: [] }]);
    await a.getCalls({ ...WINDOW, pageSize: 0 });
    expect(http.requests[0]).toMatchObject({
      method: 'GET',
      endpoint: 'calls.list',
      query: {
        created_at_start: '2026-03-01T00:00:00Z',
        created_at_end: '2026-03-02T00:00:00Z',
        sort_by: 'created_at',
        order: 'asc',
        per_page: '100',
        page: '1',
        api_key: 'KEY',
        company_id: '42',
      },
    });
  });

  it('never lets a cursor or a link replace the credentials', async () => {
    const cursor = encodeCursor({ page: '2' });
    const { adapter: a, http } = adapter([
      {
        body: [row('a')],
        headers: { link: '<https://evil.example/x.json?api_key=OTHER&company_id=7&page=3>; rel="next"' },
      },
    ]);
    const page = await a.getCalls(WINDOW, cursor);
    expect(http.requests[0].query).toMatchObject({ page: '2', api_key: 'KEY', company_id: '42' });
    // the next cursor keeps the link's page but none of its credentials
    expect(decodeCursor(page.nextCursor!).query).toEqual({ page: '3' });
    expect(http.requests[0].url).toBe('https://api.retreaver.com/api/v2/calls.json');
  });

  it('keeps the window when a next link drops it', async () => {
    const { adapter: a } = adapter([
      { body: [row('a')], headers: { link: '</api/v2/calls.json?page=2>; rel="next"' } },
    ]);
    const page = await a.getCalls(WINDOW);
    expect(decodeCursor(page.nextCursor!).query).toMatchObject({
      created_at_start: '2026-03-01T00:00:00Z',
      created_at_end: '2026-03-02T00:00:00Z',
      page: '2',
    });
  });

  it('stops instead of looping when the next link points at the same page, or the page is empty', async () => {
    const same = adapter([
      { body: [row('a')], headers: { link: '</api/v2/calls.json?page=1>; rel="next"' } },
    ]);
    expect((await same.adapter.getCalls(WINDOW)).nextCursor).toBeUndefined();
    const empty = adapter([{ body: [], headers: { link: '</api/v2/calls.json?page=2>; rel="next"' } }]);
    expect((await empty.adapter.getCalls(WINDOW)).nextCursor).toBeUndefined();
  });

  it('reads an empty 200 as an empty page and refuses a body that is not a list', async () => {
    expect((await adapter([{ body: undefined }]).adapter.getCalls(WINDOW)).calls).toEqual([]);
    const error = await adapter([{ body: '<html>maintenance</html>' }])
      .adapter.getCalls(WINDOW)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('unexpected_response');
  });

  it('checks credentials with a one-row read of the last hour', async () => {
    const { adapter: a, http } = adapter([{ body: [] }]);
    await a.authenticate();
    expect(http.requests[0]).toMatchObject({
      endpoint: 'auth.check',
      query: { created_at_start: '2026-03-02T11:00:00Z', per_page: '1' },
    });
  });

  it('builds the provisioning body Retreaver documents', async () => {
    const created = { number: { id: 79, number: '+18885550100', toll_free: true, cid: 'c1' } };
    const { adapter: a, http } = adapter([
      { status: 201, body: created },
      { status: 201, body: created },
    ]);
    await a.provisionNumber({
      campaignExternalId: 'c1',
      extra: { afid: 'a1', sid: 's1', desiredText: 'CARS' },
    });
    expect(http.requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://api.retreaver.com/numbers.json',
      json: { number: { type: 'Toll-free', cid: 'c1', afid: 'a1', sid: 's1', desired_text: 'CARS' } },
    });
    expect(http.requests[0].retry).toBeUndefined();
    await a.provisionNumber({ countryCode: 'ca', extra: { cid: 'c2', afid: 'a2' } });
    expect(http.requests[1].json).toEqual({
      number: { type: 'Local', cid: 'c2', afid: 'a2', country: 'CA' },
    });
  });

  it('releases with DELETE and treats 404 as already released', async () => {
    const { adapter: a, http } = adapter([{ status: 200 }, { status: 404 }]);
    await a.releaseNumber('79');
    await a.releaseNumber('79');
    expect(http.requests.map((r) => [r.method, r.url, r.acceptStatus])).toEqual([
      ['DELETE', 'https://api.retreaver.com/numbers/79.json', [404]],
      ['DELETE', 'https://api.retreaver.com/numbers/79.json', [404]],
    ]);
  });

  it('escapes ids in paths', async () => {
    const { adapter: a, http } = adapter([{ status: 404 }]);
    await a.getCampaign('a/b c').catch(() => undefined);
    expect(http.requests[0].url).toBe('https://api.retreaver.com/campaigns/cid/a%2Fb%20c.json');
  });

  it('has no methods for operations Retreaver has no API for (no stubs)', () => {
    const { adapter: a } = adapter([]);
    expect(capabilitiesOf(a)).not.toEqual(expect.arrayContaining(['callUpdates']));
    expect(capabilitiesOf(a)).not.toEqual(expect.arrayContaining(['webhookRegistration']));
    expect('updateCall' in a || 'registerWebhook' in a || 'unregisterWebhook' in a).toBe(false);
  });

  it('pages the provider report by count_total when it sends no Link header', async () => {
    const page1 = {
      count: 1,
      count_total: 2,
      data: [{ id: 'c1', total_calls: 2, converted_count: 1, revenue: 10.5, payout: 4, connected_count: 2 }],
    };
    const page2 = {
      count: 1,
      count_total: 2,
      data: [{ id: 'c2', total_calls: 1, converted_count: 0, revenue: 0, payout: 0, connected_count: 0 }],
    };
    const http = new ScriptedHttp([{ body: page1 }, { body: page2 }]);
    const a = new RetreaverAdapter(context(http, { settings: { reportSource: 'provider' } }));
    const report = await a.getCallReport(WINDOW.from, WINDOW.to);
    expect(report).toMatchObject({
      totalCalls: 3,
      connectedCalls: 2,
      convertedCalls: 1,
      revenue: '10.5000',
      payout: '4.0000',
    });
    expect(http.requests.map((r) => r.query?.page)).toEqual(['1', '2']);
  });
});

describe('rfc3339', () => {
  it('drops milliseconds', () => {
    expect(rfc3339(new Date('2026-03-01T10:11:12.999Z'))).toBe('2026-03-01T10:11:12Z');
  });
});
