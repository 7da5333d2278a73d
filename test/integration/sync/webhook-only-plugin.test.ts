import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConnectionService } from '@switchboard/connections';
import {
  CallTrackingPlugin,
  IsString,
  getPluginManifest,
  type InboundWebhook,
  type NormalizedCallEvent,
  type HistorySource,
  type ProviderConnection,
  type WebhookReceiver,
} from '@switchboard/plugin-sdk';
import { IncrementalSyncService, SyncScheduler } from '@switchboard/sync';
import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { ADMIN_TOKEN } from '../pipeline/pipeline-harness.js';
import { SyncHarness } from './sync-harness.js';

/**
 * A plugin with a WebhookReceiver and nothing else (a webhook relay, a provider without an API):
 * the platform must not schedule, run or accept syncs for its connections, must answer 501
 * naming the capability for what needs one it lacks, and must still show it in GET /plugins.
 */
jest.setTimeout(60_000);

class HookCredentials {
  @IsString()
  token!: string;
}

class HooksOnlyAdapter implements ProviderConnection, WebhookReceiver {
  async authenticate(): Promise<void> {}
  webhookTemplates() {
    return [];
  }
  describeWebhook() {
    return {};
  }
  mapWebhook(request: InboundWebhook): NormalizedCallEvent {
    return {
      type: 'call.updated',
      occurredAt: request.receivedAt,
      call: { externalId: 'x', providerData: {} },
    };
  }
}

class HooksOnlyPlugin {}
CallTrackingPlugin({
  provider: 'hooks-only',
  displayName: 'Hooks only',
  version: '1.0.0',
  compatibility: '^1.1.0',
  features: { realtime: true },
  credentials: HookCredentials,
  secretCredentialFields: ['token'],
  adapter: HooksOnlyAdapter,
  rateLimits: {},
  webhooks: { schemes: ['token'] },
})(HooksOnlyPlugin);

/** The other way round: a history and nothing else (an API without webhooks). */
class HistoryOnlyAdapter implements ProviderConnection, HistorySource {
  async authenticate(): Promise<void> {}
  async getCalls() {
    return { calls: [] };
  }
}

class HistoryOnlyPlugin {}
CallTrackingPlugin({
  provider: 'history-only',
  displayName: 'History only',
  version: '1.0.0',
  compatibility: '^1.1.0',
  credentials: HookCredentials,
  secretCredentialFields: ['token'],
  adapter: HistoryOnlyAdapter,
  rateLimits: {},
  sync: { intervalSeconds: 3600, batchSize: 100, lookbackSeconds: 0 },
  webhooks: { schemes: ['token'] },
})(HistoryOnlyPlugin);

let h: SyncHarness;
let api: NestFastifyApplication;
let sim: RingbaSimulator;
let hooksId: string;
let ringbaId: string;
let historyId: string;

const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const response = await api
    .getHttpAdapter()
    .getInstance()
    .inject({
      method,
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload ? { payload } : {}),
    });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
};

beforeAll(async () => {
  h = await SyncHarness.start({
    workers: 0,
    env: { SYNC_SCHEDULE_ENABLED: 'true', CONSISTENCY_CHECK_INTERVAL_SECONDS: '0' },
  });
  h.base.discovery.loaded.push({
    manifest: getPluginManifest(HooksOnlyPlugin)!,
    module: HooksOnlyPlugin,
    packageName: 'hooks-only-test-plugin',
    packageDir: '/nonexistent',
  });
  h.base.discovery.loaded.push({
    manifest: getPluginManifest(HistoryOnlyPlugin)!,
    module: HistoryOnlyPlugin,
    packageName: 'history-only-test-plugin',
    packageDir: '/nonexistent',
  });
  await h.base.startWorker();
  api = await h.base.startApi();
  sim = createRingbaSimulator({ seed: 5, historyCalls: 3, historyEnd: new Date() });
  await sim.start();
  const { connection } = await h.get(ConnectionService).create({
    provider: 'hooks-only',
    name: 'relay',
    credentials: { token: 'relay-token-0000' },
    validate: false,
  });
  hooksId = connection.id;
  const history = await h.get(ConnectionService).create({
    provider: 'history-only',
    name: 'api without webhooks',
    credentials: { token: 'api-token-0000' },
    validate: false,
  });
  historyId = history.connection.id;
  ringbaId = await h.connect(sim, { settings: { sync: { intervalSeconds: 3600 } } });
});

afterAll(async () => {
  await sim?.stop();
  await h?.stop();
});

describe('a plugin without a HistorySource', () => {
  it('gets no sync schedule (a plugin with one does)', async () => {
    const result = await h.get(SyncScheduler).reconcile();
    const keys = (await h.syncQueue.getJobSchedulers(0, -1)).map((s) => s.key);
    expect(keys).toContain(`incremental-${ringbaId}`);
    expect(keys).not.toContain(`incremental-${hooksId}`);
    expect(result.scheduled).not.toContain(`incremental-${hooksId}`);
  });

  it('skips a scheduled sync job that reaches it anyway, without calling anything', async () => {
    expect(await h.get(IncrementalSyncService).run(hooksId)).toEqual({
      status: 'skipped',
      reason: 'the hooks-only plugin has no call history to sync',
    });
  });

  it('answers sync and backfill requests with 501 not_supported naming the capability', async () => {
    const now = Date.now();
    const window = {
      from: new Date(now - 86_400_000).toISOString(),
      to: new Date(now - 60_000).toISOString(),
    };
    for (const [path, payload] of [
      [`/connections/${hooksId}/backfills`, window],
      [`/connections/${hooksId}/recoveries`, window],
      [`/connections/${hooksId}/consistency-checks`, window],
      [`/connections/${hooksId}/sync`, undefined],
    ] as const) {
      const answer = await call('POST', path, payload);
      expect({ path, status: answer.status, body: answer.body }).toMatchObject({
        path,
        status: 501,
        body: { error: 'not_supported', details: { provider: 'hooks-only', capability: 'history' } },
      });
    }
    expect(await h.count('SELECT count(*) FROM sync_runs WHERE connection_id = $1', [hooksId])).toBe(0);
  });

  it('answers catalog requests with 501 naming the missing capability', async () => {
    for (const [path, capability] of [
      [`/connections/${hooksId}/campaigns`, 'campaigns'],
      [`/connections/${hooksId}/numbers`, 'numbers'],
    ] as const) {
      const answer = await call('GET', path);
      expect(answer.status).toBe(501);
      expect(answer.body).toMatchObject({
        error: 'not_supported',
        details: { provider: 'hooks-only', capability },
      });
    }
  });

  it('answers a read-through of a call it has not stored with 404 (no CallLookup to ask)', async () => {
    const answer = await call('GET', `/connections/${hooksId}/calls/not-stored-0001`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: 'call_not_found' });
    expect(answer.body.message).toMatch(/cannot look calls up/);
  });

  it('is listed with its derived capabilities and no sync defaults', async () => {
    const { body } = await call('GET', '/plugins');
    const hooks = body.plugins.find((p: { provider: string }) => p.provider === 'hooks-only');
    expect(hooks).toMatchObject({
      capabilities: ['webhooks'],
      features: { realtime: true, recording: false, webhooks: true, history: false, campaigns: false },
      sync: null,
    });
    const ringba = body.plugins.find((p: { provider: string }) => p.provider === 'ringba');
    expect(ringba.capabilities).toEqual([
      'webhooks',
      'history',
      'callLookup',
      'numbers',
      'numberProvisioning',
      'campaigns',
    ]);
  });
});

describe('a plugin without a WebhookReceiver', () => {
  it('is synced on a schedule like any plugin with a history', async () => {
    await h.get(SyncScheduler).reconcile();
    const keys = (await h.syncQueue.getJobSchedulers(0, -1)).map((s) => s.key);
    expect(keys).toContain(`incremental-${historyId}`);
  });

  it('answers webhooks to its connections 404, as for a connection that does not exist', async () => {
    const response = await api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: `/webhooks/history-only/${historyId}?token=x`, payload: { id: 'c1' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'connection_not_found' });
  });

  it('answers a request for its webhook templates 501 naming the capability', async () => {
    const answer = await call('GET', `/connections/${historyId}/webhook-templates`);
    expect(answer.status).toBe(501);
    expect(answer.body).toMatchObject({
      error: 'not_supported',
      details: { provider: 'history-only', capability: 'webhooks' },
    });
  });
});
