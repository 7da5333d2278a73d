import { createRetreaverSimulator, type RetreaverSimulator } from './retreaver-simulator.js';

async function get(sim: RetreaverSimulator, path: string, query: Record<string, string>) {
  const url = new URL(path, sim.baseUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe('Retreaver simulator', () => {
  let sim: RetreaverSimulator;
  let auth: Record<string, string>;

  beforeEach(async () => {
    sim = createRetreaverSimulator({ seed: 3, historyCalls: 30 });
    await sim.start();
    auth = { api_key: sim.credentials.apiKey, company_id: sim.credentials.companyId };
  });
  afterEach(() => sim.stop());

  it('is deterministic: the same seed gives the same account', () => {
    const again = createRetreaverSimulator({ seed: 3, historyCalls: 30 });
    expect(again.calls()).toEqual(sim.calls());
    expect(again.numbers()).toEqual(sim.numbers());
    expect(createRetreaverSimulator({ seed: 4, historyCalls: 30 }).calls()).not.toEqual(sim.calls());
  });

  it('authenticates like Retreaver: 401 for the key, 403 for the company, {"error": ...} bodies', async () => {
    const noKey = await get(sim, '/api/v2/calls.json', { company_id: '1' });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toEqual({ error: expect.any(String) });
    expect((await get(sim, '/api/v2/calls.json', { api_key: 'nope', company_id: '1' })).status).toBe(401);
    expect((await get(sim, '/api/v2/calls.json', { api_key: sim.credentials.apiKey })).status).toBe(403);
    expect((await get(sim, '/api/v2/calls.json', { ...auth, company_id: '2' })).status).toBe(403);
  });

  it('answers a bare array of {"call"} rows, 25 by default, with rel="next" and rel="last" links', async () => {
    const first = await get(sim, '/api/v2/calls.json', auth);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(25);
    expect(Object.keys(first.body[0])).toEqual(['call']);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/<[^>]+page=2[^>]*>; rel="next"/);
    expect(link).toMatch(/<[^>]+page=2[^>]*>; rel="last"/);
    expect(link).toContain(`api_key=${sim.credentials.apiKey}`);
    const second = await get(sim, '/api/v2/calls.json', { ...auth, page: '2' });
    expect(second.body).toHaveLength(5);
    expect(second.headers.get('link')).not.toContain('rel="next"');
    expect(second.headers.get('link')).toContain('rel="prev"');
  });

  it('sorts newest first by default and forces descending order for updated_at', async () => {
    const created = (await get(sim, '/api/v2/calls.json', { ...auth, per_page: '100' })).body.map(
      (r: { call: { created_at: string } }) => r.call.created_at,
    );
    expect(created).toEqual([...created].sort().reverse());
    const updated = (
      await get(sim, '/api/v2/calls.json', { ...auth, per_page: '100', sort_by: 'updated_at', order: 'asc' })
    ).body.map((r: { call: { updated_at: string } }) => r.call.updated_at);
    expect(updated).toEqual([...updated].sort().reverse());
  });

  it('refuses an unreadable time, unknown paths and wrong methods', async () => {
    expect((await get(sim, '/api/v2/calls.json', { ...auth, created_at_start: 'yesterday' })).status).toBe(
      400,
    );
    expect((await get(sim, '/nope.json', auth)).status).toBe(404);
    const url = new URL('/api/v2/calls.json', sim.baseUrl);
    for (const [key, value] of Object.entries(auth)) url.searchParams.set(key, value);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
  });

  it('arms faults that count down', async () => {
    sim.injectFaults({ serverErrors: 1, rateLimited: 1, retryAfterSeconds: 3 });
    expect((await get(sim, '/campaigns.json', auth)).status).toBe(500);
    const limited = await get(sim, '/campaigns.json', auth);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await get(sim, '/campaigns.json', auth)).status).toBe(200);
    expect(sim.requestCount('/campaigns.json')).toBe(3);
  });

  it('keeps the api_key out of its request log', async () => {
    await get(sim, '/numbers.json', auth);
    expect(JSON.stringify(sim.requests())).not.toContain(sim.credentials.apiKey);
  });
});
