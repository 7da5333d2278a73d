import {
  capabilitiesOf,
  ProviderError,
  type ProviderContext,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
} from '@switchboard/plugin-sdk';
import { resolveBaseUrl, TrackDriveAdapter } from './trackdrive.adapter.js';
import type { TrackDriveCredentials } from './trackdrive.credentials.js';
import { encodeCursor } from './trackdrive.cursor.js';

type Responder = (request: ProviderHttpRequest) => Partial<ProviderHttpResponse>;

/** A ProviderHttpClient that records requests and answers from a script (no network). */
function scripted(responder: Responder) {
  const requests: ProviderHttpRequest[] = [];
  const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
  const context: ProviderContext<TrackDriveCredentials> = {
    connectionId: 'c-1',
    provider: 'trackdrive',
    credentials: { subdomain: 'acme', publicKey: 'pub', privateKey: 'priv' },
    settings: {},
    webhookUrl: 'https://sb.example.com/webhooks/trackdrive/c-1',
    http: {
      request: async <T>(request: ProviderHttpRequest) => {
        requests.push(request);
        const answer = responder(request);
        return { status: 200, headers: {}, body: undefined, ...answer } as ProviderHttpResponse<T>;
      },
    },
    logger: {
      debug() {},
      info() {},
      error() {},
      warn: (message, fields) => void warnings.push([message, fields]),
    },
    now: () => new Date(),
  };
  return { adapter: new TrackDriveAdapter(context), requests, warnings };
}

const window = { from: new Date('2026-01-15T10:00:00.500Z'), to: new Date('2026-01-15T12:00:00.250Z') };

describe('resolveBaseUrl', () => {
  it.each([
    [undefined, 'https://acme.trackdrive.com/api/v1'],
    ['http://127.0.0.1:4000/api/v1/', 'http://127.0.0.1:4000/api/v1'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000/api/v1'],
    ['https://{subdomain}.trackdrive.net', 'https://acme.trackdrive.net/api/v1'],
  ])('turns %p into %p', (apiBaseUrl, expected) => {
    expect(resolveBaseUrl(apiBaseUrl, 'acme')).toBe(expected);
  });
});

describe('TrackDriveAdapter requests', () => {
  it('sends Basic auth and TrackDrive paging and window parameters', async () => {
    const { adapter, requests } = scripted(() => ({ body: { calls: [], metadata: { next_cursor: 0 } } }));
    await adapter.getCalls({ ...window, pageSize: 500, campaignExternalId: '10001' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({
      method: 'GET',
      url: 'https://acme.trackdrive.com/api/v1/calls',
      endpoint: 'calls.list',
      query: {
        cursor: '-1',
        per_page: 100,
        created_at_from: '2026-01-15 10:00:00 +0000',
        created_at_to: '2026-01-15 12:00:01 +0000',
        offer_id: '10001',
      },
    });
    expect(request.headers?.authorization).toBe(`Basic ${Buffer.from('pub:priv').toString('base64')}`);
  });

  it("passes our cursor back as TrackDrive's and stops at next_cursor 0", async () => {
    const { adapter, requests } = scripted((request) =>
      request.query?.cursor === '-1'
        ? {
            body: {
              calls: [{ uuid: 'a', created_at: '2026-01-15 11:00:00 +0000' }],
              metadata: { next_cursor: 171883555347870 },
            },
          }
        : {
            body: {
              calls: [{ uuid: 'b', created_at: '2026-01-15 10:30:00 +0000' }],
              metadata: { next_cursor: 0 },
            },
          },
    );
    const first = await adapter.getCalls(window);
    expect(first.nextCursor).toBe(encodeCursor({ cursor: '171883555347870' }));
    const second = await adapter.getCalls(window, first.nextCursor);
    expect(requests[1].query?.cursor).toBe('171883555347870');
    expect(second.calls.map((c) => c.externalId)).toEqual(['b']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('drops rows outside [from, to) and of another offer, and skips unreadable rows', async () => {
    const { adapter, warnings } = scripted(() => ({
      body: {
        calls: [
          { uuid: 'edge-end', created_at: '2026-01-15 12:00:00.250 +0000', offer_id: 1 },
          { uuid: 'inside', created_at: '2026-01-15 12:00:00.249 +0000', offer_id: 1 },
          { uuid: 'other-offer', created_at: '2026-01-15 11:00:00 +0000', offer_id: 2 },
          { uuid: 'edge-start', created_at: '2026-01-15 10:00:00.500 +0000', offer_id: 1 },
          { uuid: 'before', created_at: '2026-01-15 10:00:00.499 +0000', offer_id: 1 },
          null,
          { id: 5, status: 'finished' },
        ],
        metadata: { next_cursor: 0, total_count: 7 },
      },
    }));
    const page = await adapter.getCalls({ ...window, campaignExternalId: '1' });
    expect(page.calls.map((c) => c.externalId)).toEqual(['inside', 'edge-start']);
    expect(page.total).toBe(7);
    expect(page.skipped?.map((s) => s.index)).toEqual([5, 6]);
    expect(warnings).toEqual([
      [
        'call rows that could not be mapped were skipped',
        { connectionId: 'c-1', rows: 7, skipped: 2, skippedRows: page.skipped },
      ],
    ]);
  });

  it('stops when next_cursor repeats the cursor it was asked for', async () => {
    const { adapter } = scripted(() => ({ body: { calls: [], metadata: { next_cursor: '55' } } }));
    const page = await adapter.getCalls(window, encodeCursor({ cursor: '55' }));
    expect(page.nextCursor).toBeUndefined();
  });

  it('reads a bare array (root=false) and refuses an answer without a calls list', async () => {
    const bare = scripted(() => ({ body: [{ uuid: 'x' }] }));
    expect((await bare.adapter.getCalls(window)).calls).toHaveLength(1);
    const html = scripted(() => ({ body: '<html>maintenance</html>' }));
    await expect(html.adapter.getCalls(window)).rejects.toMatchObject({
      code: 'unexpected_response',
      retryable: true,
    });
  });

  it('treats an error status inside a 200 body as an error', async () => {
    const { adapter } = scripted(() => ({
      body: { status: 422, errors: { cursor: ['must be a decimal number'] } },
    }));
    await expect(adapter.getCalls(window)).rejects.toMatchObject({ code: 'http_422', retryable: false });
  });

  it('posts conversions to update_call with absolute values and retry on', async () => {
    const { adapter, requests } = scripted((request) =>
      request.method === 'POST'
        ? { body: { status: 200, errors: {}, call: { uuid: 'u-1', buyer_converted: true, revenue: '25.0' } } }
        : { status: 404 },
    );
    const call = await adapter.updateCall('u-1', {
      converted: true,
      revenue: '25.0000',
      payout: '9.5000',
      tags: { lead_id: 'L9' },
    });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://acme.trackdrive.com/api/v1/calls/update_call/u-1',
      retry: true,
      json: {
        buyer_converted: true,
        revenue: '25.0000',
        payout: '9.5000',
        post_call_tokens: { lead_id: 'L9' },
      },
    });
    expect(call).toMatchObject({ externalId: 'u-1', converted: true, revenue: '25.0000' });
  });

  it('answers not_found for a 404 call or offer', async () => {
    const { adapter } = scripted(() => ({ status: 404, body: { status: 404, errors: {} } }));
    await expect(adapter.getCall('nope')).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
      retryable: false,
    });
    await expect(adapter.getCampaign('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(adapter.updateCall('nope', { converted: true })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('has no number provisioning (no stubs: TrackDrive has no API to buy numbers)', () => {
    const { adapter } = scripted(() => ({}));
    expect(capabilitiesOf(adapter)).not.toContain('numberProvisioning');
    expect('provisionNumber' in adapter || 'releaseNumber' in adapter).toBe(false);
  });

  it('refuses an empty registration id', async () => {
    const { adapter } = scripted(() => ({}));
    await expect(adapter.unregisterWebhook(' , ')).rejects.toBeInstanceOf(ProviderError);
  });
});
