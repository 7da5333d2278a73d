import { jest } from '@jest/globals';
import { RedisClient } from '@switchboard/cache';
import { CallCache } from '@switchboard/pipeline';
import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { createTrackDriveSimulator } from '../../simulators/src/trackdrive/index.js';
import { ApiTestApp } from './api-test-app.js';

// Generous: these start the whole app on a machine other suites share.
jest.setTimeout(60_000);

const HISTORY_END = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));

/** Read-through to the provider, the call timeline, and campaigns/numbers through the plugins. */
describe('read-through, call events, campaigns and numbers (real app, simulators)', () => {
  let api: ApiTestApp;
  let ringba: RingbaSimulator;
  let trackdrive: ReturnType<typeof createTrackDriveSimulator>;
  let ringbaId: string;
  let trackdriveId: string;
  let readKey: string;
  let writeKey: string;

  beforeAll(async () => {
    ringba = createRingbaSimulator({ seed: 11, historyEnd: HISTORY_END, historyCalls: 20 });
    await ringba.start();
    trackdrive = createTrackDriveSimulator();
    await trackdrive.start();
    api = await ApiTestApp.start();
    const create = async (provider: string, credentials: unknown, apiBaseUrl: string) => {
      const res = await api.send('POST', '/connections', {
        provider,
        name: provider,
        credentials,
        settings: { apiBaseUrl },
        validate: false,
      });
      expect(res.statusCode).toBe(201);
      return res.json().connection.id as string;
    };
    ringbaId = await create('ringba', ringba.credentials, ringba.baseUrl);
    trackdriveId = await create('trackdrive', trackdrive.credentials, trackdrive.baseUrl);
    readKey = (await api.send('POST', '/api-keys', { name: 'reader', scope: 'read' })).json().key;
    writeKey = (await api.send('POST', '/api-keys', { name: 'writer', scope: 'write' })).json().key;
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await ringba?.stop();
    await trackdrive?.stop();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('reads an unknown call from the provider by connection + external id, stores it, then serves it from the cache', async () => {
    const sim = ringba.history().find((c) => c.callDt !== undefined) ?? ringba.history()[0];
    const externalId = sim!.inboundCallId;
    const before = ringba.requestCount('/calllogs/detail');
    const first = await api.get(`/connections/${ringbaId}/calls/${externalId}`, as(readKey));
    expect(first.statusCode).toBe(200);
    const call = first.json();
    expect(call).toMatchObject({ connectionId: ringbaId, provider: 'ringba', externalId });
    expect(ringba.requestCount('/calllogs/detail')).toBe(before + 1);

    // Stored through the normal merge: a sync event on the timeline, the call in the cache.
    const events = (await api.get(`/calls/${call.id}/events`, as(readKey))).json();
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({ source: 'sync', eventType: 'call.updated' });
    expect(await api.app.get(CallCache).get(call.id)).toMatchObject({ id: call.id, version: call.version });

    // Known now: no provider request, by either route.
    expect((await api.get(`/calls/${call.id}`, as(readKey))).json()).toEqual(call);
    expect((await api.get(`/connections/${ringbaId}/calls/${externalId}`, as(readKey))).json().id).toBe(
      call.id,
    );
    expect(ringba.requestCount('/calllogs/detail')).toBe(before + 1);

    // From the database when the cache lost it (and the cache is refilled).
    await api.app.get(RedisClient).redis.del(api.app.get(CallCache).key(call.id));
    expect((await api.get(`/calls/${call.id}`, as(readKey))).json()).toEqual(call);
    expect(await api.app.get(CallCache).get(call.id)).toBeDefined();

    // fresh=true goes to the provider again and stores through the merge (a second event).
    const fresh = await api.get(`/calls/${call.id}?fresh=true`, as(readKey));
    expect(fresh.statusCode).toBe(200);
    expect(ringba.requestCount('/calllogs/detail')).toBe(before + 2);
    expect((await api.get(`/calls/${call.id}/events`, as(readKey))).json().items).toHaveLength(2);
    expect((await api.app.get(CallCache).get(call.id))?.version).toBe(fresh.json().version);
  });

  it('answers 404 for a call the provider does not have either, and 400 for bad parameters', async () => {
    const missing = await api.get(`/connections/${ringbaId}/calls/RGBNOSUCHCALL`, as(readKey));
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'call_not_found' });
    expect(
      (await api.get('/calls/00000000-0000-4000-8000-000000000000/events', as(readKey))).statusCode,
    ).toBe(404);
    expect(
      (await api.get(`/calls/00000000-0000-4000-8000-000000000000?fresh=maybe`, as(readKey))).statusCode,
    ).toBe(400);
    expect(
      (await api.get(`/connections/00000000-0000-4000-8000-000000000000/calls/x`, as(readKey))).statusCode,
    ).toBe(404);
  });

  it('drops cached calls when their connection is deleted', async () => {
    const sim = ringba.history()[1]!;
    const call = (await api.get(`/connections/${ringbaId}/calls/${sim.inboundCallId}`, as(readKey))).json();
    expect(await api.app.get(CallCache).get(call.id)).toBeDefined();
    const other = await api.send('POST', '/connections', {
      provider: 'ringba',
      name: 'to delete',
      credentials: ringba.credentials,
      settings: { apiBaseUrl: ringba.baseUrl },
      validate: false,
    });
    const otherId = other.json().connection.id as string;
    const doomed = (await api.get(`/connections/${otherId}/calls/${sim.inboundCallId}`, as(readKey))).json();
    expect(await api.app.get(CallCache).get(doomed.id)).toBeDefined();
    expect((await api.send('DELETE', `/connections/${otherId}`)).statusCode).toBe(204);
    expect(await api.app.get(CallCache).get(doomed.id)).toBeUndefined();
    expect((await api.get(`/calls/${doomed.id}`, as(readKey))).statusCode).toBe(404);
    expect(await api.app.get(CallCache).get(call.id)).toBeDefined();
  });

  it('lists campaigns and numbers through the plugin, kept in the tables and read again only after a minute', async () => {
    const before = ringba.requestCount('/campaigns');
    const campaigns = await api.get(`/connections/${ringbaId}/campaigns`, as(readKey));
    expect(campaigns.statusCode).toBe(200);
    expect(campaigns.json().items.length).toBe(ringba.world.campaigns.length);
    expect((await api.get(`/connections/${ringbaId}/campaigns`, as(readKey))).statusCode).toBe(200);
    expect(ringba.requestCount('/campaigns')).toBe(before + 1);
    await api.get(`/connections/${ringbaId}/campaigns?refresh=true`, as(readKey));
    expect(ringba.requestCount('/campaigns')).toBe(before + 2);

    const numbers = (await api.get(`/connections/${ringbaId}/numbers`, as(readKey))).json().items;
    expect(numbers.length).toBe(ringba.world.numbers.length);

    const td = await api.get(`/connections/${trackdriveId}/campaigns`, as(readKey));
    expect(td.statusCode).toBe(200);
    expect(td.json().items.length).toBeGreaterThan(0);
  });

  it('provisions and releases numbers where the plugin can (write scope), 501 where it cannot', async () => {
    expect(
      (await api.send('POST', `/connections/${ringbaId}/numbers`, { countryCode: 'US' }, as(readKey)))
        .statusCode,
    ).toBe(403);
    const bought = await api.send(
      'POST',
      `/connections/${ringbaId}/numbers`,
      { countryCode: 'US', areaCode: '415' },
      as(writeKey),
    );
    expect(bought.statusCode).toBe(201);
    const number = bought.json();
    expect(number.number).toMatch(/^\+1/);
    const listed = (await api.get(`/connections/${ringbaId}/numbers?refresh=true`, as(readKey))).json().items;
    expect(listed.map((n: { externalId: string }) => n.externalId)).toContain(number.externalId);

    expect(
      (
        await api.send(
          'DELETE',
          `/connections/${ringbaId}/numbers/${number.externalId}`,
          undefined,
          as(writeKey),
        )
      ).statusCode,
    ).toBe(204);
    const after = (await api.get(`/connections/${ringbaId}/numbers`, as(readKey))).json().items;
    expect(after.map((n: { externalId: string }) => n.externalId)).not.toContain(number.externalId);

    const unsupported = await api.send(
      'POST',
      `/connections/${trackdriveId}/numbers`,
      { countryCode: 'US' },
      as(writeKey),
    );
    expect(unsupported.statusCode).toBe(501);
    // TrackDrive's adapter has no NumberProvisioning: refused before the provider is asked.
    expect(unsupported.json()).toMatchObject({
      statusCode: 501,
      error: 'not_supported',
      details: { provider: 'trackdrive', capability: 'numberProvisioning' },
    });
    expect(
      (await api.send('DELETE', `/connections/${trackdriveId}/numbers/PN1`, undefined, as(writeKey)))
        .statusCode,
    ).toBe(501);

    const audit = (await api.get('/audit-log?targetType=tracking_number'))
      .json()
      .items.map((a: { action: string }) => a.action);
    expect(audit).toEqual(['number.released', 'number.provisioned']);
  });
});
