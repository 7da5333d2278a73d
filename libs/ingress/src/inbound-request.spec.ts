import {
  clean,
  flattenHeaders,
  parseQuery,
  secretNames,
  withoutSecretHeaders,
  withoutSecretParams,
} from './inbound-request.js';
import { webhookJob } from './webhook-job.js';

describe('inbound request helpers', () => {
  it('lower-cases header names and joins repeated headers', () => {
    expect(
      flattenHeaders({ 'Content-Type': 'application/json', 'X-Many': ['a', 'b'], gone: undefined }),
    ).toEqual({
      'content-type': 'application/json',
      'x-many': 'a, b',
    });
  });

  it('parses the query string with repeated keys as arrays and + as space', () => {
    expect(parseQuery('/webhooks/x/y?a=1&a=2&b=hello+world&c=%2B1555')).toEqual({
      a: ['1', '2'],
      b: 'hello world',
      c: '+1555',
    });
    expect(parseQuery('/webhooks/x/y')).toEqual({});
  });

  it("drops the platform's secret names and the connection's own token names", () => {
    const names = secretNames('X-Acme-Key', 'acme_token');
    expect(
      withoutSecretHeaders(
        {
          authorization: 'Bearer s',
          'x-acme-key': 's',
          'x-switchboard-token': 's',
          'webhook-signature': 'v1,s',
          'user-agent': 'ua',
        },
        names,
      ),
    ).toEqual({ 'user-agent': 'ua' });
    expect(
      withoutSecretParams({ token: 's', ACME_TOKEN: 's', api_key: 's', event: 'completed' }, names),
    ).toEqual({
      event: 'completed',
    });
  });

  it('removes NUL characters, which PostgreSQL refuses in text and jsonb', () => {
    expect(clean('a\u0000b')).toBe('ab');
    const names = secretNames('x-switchboard-token', 'token');
    expect(withoutSecretParams({ 'k\u0000': ['v\u0000', 'w'] }, names)).toEqual({ k: ['v', 'w'] });
  });

  it('builds one job per row, named by the row id', () => {
    const receivedAt = new Date('2026-11-24T12:00:00Z');
    const job = webhookJob({ id: 'row-1', connectionId: 'c-1', provider: 'ringba', receivedAt }, 8);
    expect(job).toEqual({
      name: 'ringba',
      data: {
        webhookLogId: 'row-1',
        connectionId: 'c-1',
        provider: 'ringba',
        receivedAt: '2026-11-24T12:00:00.000Z',
      },
      opts: expect.objectContaining({ jobId: 'row-1', attempts: 8, backoff: { type: 'switchboard' } }),
    });
  });
});
