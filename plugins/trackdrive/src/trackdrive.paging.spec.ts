import type { ProviderHttpRequest, ProviderHttpResponse } from '@switchboard/plugin-sdk';
import { TrackDriveAdapter } from './trackdrive.adapter.js';
import { decodeCursor } from './trackdrive.cursor.js';

function scripted(answer: Partial<ProviderHttpResponse>) {
  const requests: ProviderHttpRequest[] = [];
  const adapter = new TrackDriveAdapter({
    connectionId: 'c-1',
    provider: 'trackdrive',
    credentials: { subdomain: 'acme', publicKey: 'pub', privateKey: 'priv' },
    settings: {},
    webhookUrl: 'https://sb.example.com/webhooks/trackdrive/c-1',
    http: {
      request: async <T>(request: ProviderHttpRequest) => {
        requests.push(request);
        return { status: 200, headers: {}, body: undefined, ...answer } as ProviderHttpResponse<T>;
      },
    },
    logger: { debug() {}, info() {}, error() {}, warn() {} },
    now: () => new Date(),
  });
  return { adapter, requests };
}

const WINDOW = { from: new Date('2026-01-15T10:00:00Z'), to: new Date('2026-01-15T12:00:00Z') };

describe('TrackDrive paging edge cases', () => {
  it('keeps a numeric next_cursor above 2^53 exact', async () => {
    const text = '{"calls":[],"metadata":{"next_cursor":9007199254740993123,"total_count":5}}';
    const { adapter } = scripted({ body: JSON.parse(text), text });
    const page = await adapter.getCalls(WINDOW);
    expect(decodeCursor(page.nextCursor as string)).toMatchObject({ cursor: '9007199254740993123' });
  });

  it('reports which rows it skipped and why', async () => {
    const body = {
      calls: [
        { uuid: 'ok-1', created_at: '2026-01-15 11:00:00 +0000' },
        { id: 77, caller_number: '+17195550123' },
        'junk',
      ],
      metadata: { next_cursor: 0 },
    };
    const { adapter } = scripted({ body });
    const page = await adapter.getCalls(WINDOW);
    expect(page.calls.map((c) => c.externalId)).toEqual(['ok-1']);
    expect(page.skipped).toEqual([
      { index: 1, externalId: '77', reason: expect.stringMatching(/uuid/) },
      { index: 2, reason: expect.any(String) },
    ]);
  });
});
