import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { UnrecoverableError, Worker } from 'bullmq';
import { QueueName } from '@switchboard/queue';
import { RedisClient } from '@switchboard/cache';
import { CallCache } from '@switchboard/pipeline';
import { ApiKeyService } from '../../../apps/api/src/auth/api-key.service.js';
import {
  ADMIN_TOKEN,
  PipelineHarness,
  redisConnection,
  waitFor,
  type TestConnection,
} from './pipeline-harness.js';

/** The API over what the worker stored: calls (read scope), webhook logs and replays (admin), Bull Board. */
describe('calls, webhook-logs and queue UI API (real PostgreSQL, Redis, worker)', () => {
  let h: PipelineHarness;
  let api: NestFastifyApplication;
  let ringba: TestConnection;
  let trackdrive: TestConnection;
  let readKey: string;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const reader = () => ({ authorization: `Bearer ${readKey}` });
  const get = (url: string, headers: Record<string, string> = admin) =>
    api.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });
  const post = (url: string, payload: unknown = {}, headers: Record<string, string> = admin) =>
    api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url, headers, payload: payload as object });

  beforeAll(async () => {
    h = await PipelineHarness.start();
    api = await h.startApi();
    ringba = await h.createConnection('ringba');
    trackdrive = await h.createConnection('trackdrive');
    readKey = (await api.get(ApiKeyService).create('host app', ['read'])).key;
    await h.accept(ringba, (await h.lifecycle(ringba, 4, Date.parse('2026-11-10T10:00:00.000Z'))).webhooks);
    await h.accept(
      trackdrive,
      (await h.lifecycle(trackdrive, 3, Date.parse('2026-11-11T10:00:00.000Z'))).webhooks,
    );
    await h.drained();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  describe('GET /calls', () => {
    it('needs an API key with the read scope', async () => {
      expect((await get('/calls', {})).statusCode).toBe(401);
      expect((await get('/calls', reader())).statusCode).toBe(200);
    });

    it('lists normalized calls with money as strings, newest first, filtered', async () => {
      const all = (await get('/calls', reader())).json();
      expect(all.items).toHaveLength(7);
      const starts = all.items.map((c: { startedAt: string }) => c.startedAt);
      expect([...starts].sort().reverse()).toEqual(starts);
      const ringbaOnly = (await get('/calls?provider=ringba', reader())).json();
      expect(ringbaOnly.items).toHaveLength(4);
      for (const call of ringbaOnly.items) {
        expect(call).toMatchObject({ provider: 'ringba', connectionId: ringba.id, status: 'completed' });
        expect(call.revenue).toMatch(/^\d+\.\d{4}$/);
        expect(call).not.toHaveProperty('field_times');
      }
      expect((await get(`/calls?connection=${trackdrive.id}`, reader())).json().items).toHaveLength(3);
      expect(
        (await get('/calls?campaign=CA0001', reader()))
          .json()
          .items.every((c: { campaignExternalId: string }) => c.campaignExternalId === 'CA0001'),
      ).toBe(true);
      expect((await get('/calls?status=ringing', reader())).json().items).toHaveLength(0);
      const window = (await get('/calls?from=2026-11-11T00:00:00Z&to=2026-11-12T00:00:00Z', reader())).json();
      expect(window.items.map((c: { provider: string }) => c.provider)).toEqual([
        'trackdrive',
        'trackdrive',
        'trackdrive',
      ]);
    });

    it('pages with a cursor until every call was seen once', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await get(`/calls?limit=2${cursor ? `&cursor=${cursor}` : ''}`, reader())).json();
        seen.push(...page.items.map((c: { id: string }) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
    });

    it('refuses bad filters and foreign cursors with the API error shape', async () => {
      expect((await get('/calls?status=nope', reader())).json()).toMatchObject({
        statusCode: 400,
        error: 'bad_request',
      });
      expect((await get('/calls?cursor=abc', reader())).json()).toMatchObject({
        statusCode: 400,
        error: 'invalid_cursor',
      });
    });
  });

  describe('GET /calls/:id', () => {
    it('serves the cached copy, and the database (refilling the cache) when it is gone', async () => {
      const [first] = (await get('/calls?provider=trackdrive', reader())).json().items;
      const cache = api.get(CallCache);
      expect(await cache.get(first.id)).toBeDefined(); // the worker put it there
      const fromCache = await get(`/calls/${first.id}`, reader());
      expect(fromCache.statusCode).toBe(200);
      expect(fromCache.json()).toEqual(first);
      await api.get(RedisClient).redis.del(cache.key(first.id));
      const fromDb = (await get(`/calls/${first.id}`, reader())).json();
      expect(fromDb).toEqual(first);
      expect(await cache.get(first.id)).toEqual(first);
    });

    it('answers 404 for an unknown call', async () => {
      const res = await get('/calls/00000000-0000-4000-8000-000000000000', reader());
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'call_not_found' });
      expect((await get('/calls/not-a-uuid', reader())).statusCode).toBe(404);
    });
  });

  describe('webhook logs and replay', () => {
    let failedIds: string[];

    beforeAll(async () => {
      // Two Ringba pixels without a call id: mapping fails for good.
      const { webhooks } = await h.lifecycle(ringba, 1, Date.parse('2026-11-12T10:00:00.000Z'));
      const broken = webhooks.slice(0, 2).map((w) => ({ ...w, query: { ...w.query, call_id: '' } }));
      failedIds = await h.accept(ringba, broken);
      await h.drained();
    }, 60_000);

    it('is admin only', async () => {
      expect((await get('/webhook-logs', reader())).statusCode).toBe(403);
      expect((await get('/webhook-logs', {})).statusCode).toBe(401);
    });

    it('lists failed rows with their reason and attempts, never a secret', async () => {
      const res = await get(`/webhook-logs?status=failed&provider=ringba&connection=${ringba.id}`);
      expect(res.statusCode).toBe(200);
      const { items } = res.json();
      expect(items.map((i: { id: string }) => i.id).sort()).toEqual([...failedIds].sort());
      for (const item of items) {
        expect(item).toMatchObject({
          status: 'failed',
          attempts: 1,
          provider: 'ringba',
          method: 'GET',
          bodyEncoding: 'utf8',
        });
        expect(item.error).toMatch(/call_id/);
        expect(item.query).toHaveProperty('event');
        expect(item.query).not.toHaveProperty('token');
      }
      expect((await get('/webhook-logs?status=failed&provider=trackdrive')).json().items).toHaveLength(0);
      expect((await get('/webhook-logs?status=failed&from=2030-01-01T00:00:00Z')).json().items).toHaveLength(
        0,
      );
      const one = await get(`/webhook-logs/${failedIds[0]}`);
      expect(one.json()).toMatchObject({ id: failedIds[0], status: 'failed' });
    });

    it('pages through every row once', async () => {
      const total = await h.count('SELECT count(*) FROM webhook_logs');
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = (await get(`/webhook-logs?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
        for (const item of page.items) seen.add(item.id);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.size).toBe(total);
    });

    it('replays one row with a fresh job (the old failed job is replaced) and the worker processes it', async () => {
      // A good webhook whose job failed for good earlier (say, its attempts ran out while the
      // database was away): the failed job still holds the row id.
      const { calls, webhooks } = await h.lifecycle(trackdrive, 1, Date.parse('2026-11-13T10:00:00.000Z'));
      const [id] = await h.insertRows(trackdrive, webhooks.slice(0, 1));
      const [worker] = h.workers.splice(0, 1);
      await worker.close();
      const failing = new Worker(
        QueueName.Webhooks,
        async () => {
          throw new UnrecoverableError('database unavailable');
        },
        { connection: redisConnection(), prefix: h.prefix },
      );
      await h.enqueue(trackdrive, [id]);
      await waitFor(async () => (await h.queue.getJob(id).then((j) => j?.getState())) === 'failed');
      await failing.close();
      await h.sql.query(
        `UPDATE webhook_logs SET status = 'failed', attempts = 8, error = 'database unavailable' WHERE id = $1`,
        [id],
      );
      await h.startWorker();

      const res = await post(`/webhook-logs/${id}/replay`);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ replayed: 1, ids: [id] });
      await h.drained();
      expect(await h.log(id)).toMatchObject({ status: 'processed', attempts: 1, error: null });
      expect((await h.calls(trackdrive.id)).map((c) => c.external_id)).toContain(calls[0].externalId);
      expect(await h.queue.getJob(id).then((j) => j?.getState())).toBe('completed');
    });

    it('refuses to replay what cannot be replayed', async () => {
      expect((await post('/webhook-logs/00000000-0000-4000-8000-000000000000/replay')).json()).toMatchObject({
        statusCode: 404,
        error: 'webhook_log_not_found',
      });
      const { webhooks } = await h.lifecycle(ringba, 1, Date.parse('2026-11-14T10:00:00.000Z'));
      const [id] = await h.insertRows(ringba, webhooks.slice(0, 1));
      await h.sql.query(`UPDATE webhook_logs SET status = 'rejected' WHERE id = $1`, [id]);
      expect((await post(`/webhook-logs/${id}/replay`)).json()).toMatchObject({
        statusCode: 409,
        error: 'not_replayable',
      });
      expect((await post(`/webhook-logs/${id}/replay`, {}, reader())).statusCode).toBe(403);
    });

    it('replays in bulk by filter, bounded by limit, and says how many', async () => {
      const { webhooks } = await h.lifecycle(trackdrive, 2, Date.parse('2026-11-15T10:00:00.000Z'));
      const ids = await h.insertRows(trackdrive, webhooks);
      await h.sql.query(`UPDATE webhook_logs SET status = 'failed' WHERE id = ANY($1::uuid[])`, [ids]);
      const first = await post('/webhook-logs/replay', {
        status: 'failed',
        provider: 'trackdrive',
        limit: 5,
      });
      expect(first.statusCode).toBe(202);
      expect(first.json().replayed).toBe(5);
      const rest = (
        await post('/webhook-logs/replay', { provider: 'trackdrive', connection: trackdrive.id })
      ).json();
      expect(rest.replayed).toBe(ids.length - 5);
      await h.drained();
      const statuses = await h.sql.query(
        'SELECT DISTINCT status FROM webhook_logs WHERE id = ANY($1::uuid[])',
        [ids],
      );
      expect(statuses.rows).toEqual([{ status: 'processed' }]);
      expect((await post('/webhook-logs/replay', { provider: 'trackdrive' })).json().replayed).toBe(0);
      // The Ringba rows still fail (their payload cannot be mapped): a replay runs them again.
      const again = (await post('/webhook-logs/replay', { provider: 'ringba', status: 'failed' })).json();
      expect(again.replayed).toBe(2);
      await h.drained();
      for (const id of failedIds) expect((await h.log(id)).status).toBe('failed');
    });
  });

  describe('Bull Board at /admin/queues', () => {
    it('asks for credentials, refuses read keys, and shows the queues to the admin', async () => {
      const anonymous = await get('/admin/queues', {});
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Basic/);
      expect((await get('/admin/queues', reader())).statusCode).toBe(403);
      const page = await get('/admin/queues');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/html/);
      const basic = `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}`;
      const queues = await get('/admin/queues/api/queues', { authorization: basic });
      expect(queues.statusCode).toBe(200);
      expect(queues.json().queues.map((q: { name: string }) => q.name)).toEqual(
        expect.arrayContaining(['webhooks', 'sync', 'maintenance']),
      );
    });
  });
});
