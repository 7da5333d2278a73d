import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { ADMIN_TOKEN, waitFor } from '../pipeline/pipeline-harness.js';
import { SyncHarness } from './sync-harness.js';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;
let h: SyncHarness;
let api: NestFastifyApplication;
let sim: RingbaSimulator;
let connectionId: string;
const historyEnd = new Date(Date.now() - 60_000);
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
  const response = await api
    .getHttpAdapter()
    .getInstance()
    .inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
};

beforeAll(async () => {
  h = await SyncHarness.start();
  api = await h.base.startApi();
  sim = createRingbaSimulator({ seed: 23, historyCalls: 30, historyEnd });
  await sim.start();
  connectionId = await h.connect(sim, { settings: { sync: { batchSize: 10 } } });
});

afterAll(async () => {
  await sim?.stop();
  await h?.stop();
});

describe('sync API', () => {
  const window = () => ({
    from: new Date(historyEnd.getTime() - 3 * DAY_MS).toISOString(),
    to: historyEnd.toISOString(),
  });

  it('starts a backfill, shows its progress and report, and lists it', async () => {
    const started = await call('POST', `/connections/${connectionId}/backfills`, window());
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'backfill', state: 'queued', chunks: { done: 0, total: 3 } });

    let run: { state: string } & Record<string, unknown> = started.body;
    await waitFor(async () => {
      run = (await call('GET', `/backfills/${started.body.id}`)).body;
      return run.state === 'succeeded';
    }, 30_000);
    expect(run).toMatchObject({
      chunks: { done: 3, total: 3 },
      calls: { seen: 30, created: 30, updated: 0, skipped: 0 },
      progress: { percent: 100, etaSeconds: 0 },
    });

    const audit = await h.count(
      `SELECT count(*) FROM audit_log WHERE action = 'backfill.started' AND target_id = $1`,
      [started.body.id],
    );
    expect(audit).toBe(1);

    const listed = await call('GET', `/sync-runs?connectionId=${connectionId}&kind=backfill`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(started.body.id);

    const state = await call('GET', `/connections/${connectionId}/sync`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ connectionId, scheduled: { state: 'never_run' } });
    expect(state.body.recentRuns[0].id).toBe(started.body.id);
  });

  it('runs the scheduled sync on request and reports its state', async () => {
    const queued = await call('POST', `/connections/${connectionId}/sync`);
    expect(queued.status).toBe(202);
    await waitFor(
      async () =>
        (await call('GET', `/connections/${connectionId}/sync`)).body.scheduled.state === 'succeeded',
      30_000,
    );
    const state = (await call('GET', `/connections/${connectionId}/sync`)).body.scheduled;
    expect(state).toMatchObject({ lastRun: { seen: 30, changed: 0, skipped: 0 }, consecutiveFailures: 0 });
    expect(Date.parse(state.highWaterMark)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('runs a consistency check and a recovery through the API', async () => {
    const check = await call('POST', `/connections/${connectionId}/consistency-checks`, window());
    expect(check.status).toBe(202);
    await waitFor(
      async () => (await call('GET', `/sync-runs/${check.body.id}`)).body.state === 'succeeded',
      30_000,
    );
    const report = (await call('GET', `/sync-runs/${check.body.id}`)).body.report;
    expect(report).toMatchObject({
      matching: 30,
      missingHere: { total: 0 },
      missingAtProvider: { total: 0 },
    });

    const recovery = await call('POST', `/connections/${connectionId}/recoveries`, window());
    expect(recovery.status).toBe(202);
    await waitFor(
      async () => (await call('GET', `/sync-runs/${recovery.body.id}`)).body.state === 'succeeded',
      30_000,
    );
    expect((await call('GET', `/sync-runs/${recovery.body.id}`)).body.report.created).toEqual({
      total: 0,
      ids: [],
    });
  });

  it('answers bad requests with the API error shape', async () => {
    const badDate = await call('POST', `/connections/${connectionId}/backfills`, {
      from: '2024-W01-1',
      to: '2024-01-02',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body).toMatchObject({ statusCode: 400, error: 'bad_request' });
    expect(JSON.stringify(badDate.body)).toContain('from');

    const reversed = await call('POST', `/connections/${connectionId}/backfills`, {
      from: '2026-11-02',
      to: '2026-11-01',
    });
    expect(reversed).toMatchObject({ status: 400, body: { error: 'invalid_window' } });

    const unknown = await call(
      'POST',
      `/connections/00000000-0000-4000-8000-000000000000/recoveries`,
      window(),
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: 'connection_not_found' } });

    const live = await call('POST', `/connections/${connectionId}/parallel-run-reports`, window());
    expect(live).toMatchObject({ status: 409, body: { error: 'not_available' } });

    const noConnection = await call('GET', `/connections/00000000-0000-4000-8000-000000000000/sync`);
    expect(noConnection).toMatchObject({ status: 404, body: { error: 'connection_not_found' } });

    const missing = await call('GET', `/sync-runs/00000000-0000-4000-8000-000000000000`);
    expect(missing).toMatchObject({ status: 404, body: { error: 'run_not_found' } });

    const notUuid = await call('GET', `/backfills/nope`);
    expect(notUuid.status).toBe(400);
  });

  it('cancels a run', async () => {
    sim.injectFaults({ latencyMs: 300 });
    try {
      const started = await call('POST', `/connections/${connectionId}/backfills`, window());
      const canceled = await call('DELETE', `/backfills/${started.body.id}`);
      expect(canceled.status).toBe(202);
      expect(canceled.body.cancelRequested).toBe(true);
      await waitFor(
        async () => (await call('GET', `/backfills/${started.body.id}`)).body.state === 'canceled',
        30_000,
      );
    } finally {
      sim.injectFaults({ latencyMs: 0 });
    }
  });

  it("shows each connection's sync state in readiness, degraded when credentials are refused", async () => {
    const ready = async () => {
      const response = await api
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: '/health/ready' });
      return { status: response.statusCode, sync: response.json().details.sync };
    };
    const before = await ready();
    expect(before.status).toBe(200);
    expect(before.sync.status).toBe('up');
    expect(before.sync.connections).toEqual([
      expect.objectContaining({
        connectionId,
        provider: 'ringba',
        state: 'succeeded',
        consecutiveFailures: 0,
      }),
    ]);

    const revoked = await h.connect(sim, { credentials: { apiToken: 'revoked-token-0000000000' } });
    await call('POST', `/connections/${revoked}/sync`);
    await waitFor(
      async () => (await call('GET', `/connections/${revoked}/sync`)).body.scheduled.state === 'auth_failed',
      30_000,
    );
    const after = await ready();
    expect(after.status).toBe(200);
    expect(after.sync.status).toBe('degraded');
    expect(after.sync.message).toContain(revoked);
  });

  it('needs the admin token to start runs', async () => {
    const response = await api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: `/connections/${connectionId}/backfills`, payload: window() });
    expect(response.statusCode).toBe(401);
  });
});
