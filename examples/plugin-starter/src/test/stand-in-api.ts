import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the provider's API on loopback, for the tests: Bearer auth, the call list with
 * a [from, to) window and page numbers, one call by id (404 when unknown). Grow it into a
 * simulator of the real API (its paging, its errors, its 429s) as the plugin grows.
 */
export const STAND_IN_ACCOUNT = 'acc1';
export const STAND_IN_KEY = 'starter-test-key-0123456789';

export interface StandInCall {
  id: string;
  status: string;
  caller: string;
  tracking_number: string;
  started_at: string;
  revenue?: string;
}

/** Five calls, an hour apart. */
export const STAND_IN_CALLS: StandInCall[] = Array.from({ length: 5 }, (_, i) => ({
  id: `c${i + 1}`,
  status: i % 2 === 0 ? 'completed' : 'no-answer',
  caller: `+1555010200${i + 1}`,
  tracking_number: '+18005550100',
  started_at: new Date(Date.UTC(2026, 0, 1, 10 + i)).toISOString(),
  ...(i % 2 === 0 ? { revenue: `${i + 5}` } : {}),
}));

export interface StandIn {
  baseUrl: string;
  credentials: { accountId: string; apiKey: string };
  close(): Promise<void>;
}

export async function startStandInApi(pageSize = 2): Promise<StandIn> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${STAND_IN_KEY}`) return send(401, { error: 'bad key' });
    if (url.pathname === `/accounts/${STAND_IN_ACCOUNT}`) return send(200, { id: STAND_IN_ACCOUNT });
    if (url.pathname === '/calls') {
      const from = Date.parse(url.searchParams.get('from') ?? '1970-01-01T00:00:00Z');
      const to = Date.parse(url.searchParams.get('to') ?? '2100-01-01T00:00:00Z');
      const size = Math.min(Number(url.searchParams.get('per_page') ?? pageSize), pageSize);
      const page = Number(url.searchParams.get('page') ?? 1);
      const inWindow = STAND_IN_CALLS.filter(
        (c) => Date.parse(c.started_at) >= from && Date.parse(c.started_at) < to,
      );
      const calls = inWindow.slice((page - 1) * size, page * size);
      return send(200, { calls, next_page: page * size < inWindow.length ? page + 1 : null });
    }
    const call = STAND_IN_CALLS.find((c) => url.pathname === `/calls/${c.id}`);
    return call ? send(200, call) : send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accountId: STAND_IN_ACCOUNT, apiKey: STAND_IN_KEY },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
