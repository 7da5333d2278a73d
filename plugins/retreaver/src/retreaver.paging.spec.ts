import type {
  PluginLogger,
  ProviderHttpClient,
  ProviderHttpRequest,
  ProviderHttpResponse,
} from '@switchboard/plugin-sdk';
import { RetreaverAdapter } from './retreaver.adapter.js';
import { decodeCursor } from './retreaver.cursor.js';

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
const WINDOW = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') };

function adapter(answers: Array<Partial<ProviderHttpResponse>>) {
  const http = new ScriptedHttp(answers);
  const a = new RetreaverAdapter({
    connectionId: 'c1',
    provider: 'retreaver',
    credentials: { apiKey: 'KEY', companyId: '42' },
    settings: {},
    webhookUrl: 'https://sb.example.com/webhooks/retreaver/c1',
    http,
    logger,
    now: () => new Date('2026-03-02T12:00:00Z'),
  });
  return { adapter: a, http };
}

describe('Retreaver paging edge cases', () => {
  it('keeps the sort of the walk when the Link header names another sort_by / order', async () => {
    const link =
      '<https://api.retreaver.com/api/v2/calls.json?api_key=KEY&page=2&per_page=100&sort_by=updated_at&order=desc>; rel="next"';
    const { adapter: a, http } = adapter([
      { body: [{ call: { uuid: 'a' } }], headers: { link } },
      { body: [{ call: { uuid: 'b' } }] },
    ]);
    const first = await a.getCalls(WINDOW);
    const cursor = decodeCursor(first.nextCursor as string).query;
    expect(cursor).toMatchObject({ page: '2', sort_by: 'created_at', order: 'asc' });
    await a.getCalls(WINDOW, first.nextCursor);
    expect(http.requests[1].query).toMatchObject({ page: '2', sort_by: 'created_at', order: 'asc' });
    expect(JSON.stringify(first.nextCursor)).not.toContain('KEY');
  });

  it('reports which rows it skipped and why', async () => {
    const { adapter: a } = adapter([
      {
        body: [
          { call: { uuid: 'a' } },
          { call: { caller: '+12025550143' } },
          { number: {} },
          { call: { uuid: 'd' } },
        ],
      },
    ]);
    const page = await a.getCalls(WINDOW);
    expect(page.calls.map((c) => c.externalId)).toEqual(['a', 'd']);
    expect(page.skipped).toEqual([
      { index: 1, reason: expect.stringMatching(/uuid/) },
      { index: 2, reason: expect.stringMatching(/call/) },
    ]);
  });
});
