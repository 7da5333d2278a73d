import { after, before, describe, it } from 'node:test';
import type { InboundWebhook } from '@switchboard/plugin-sdk';
import {
  createTestContext,
  runProviderConformance,
  type WebhookCorpus,
} from '@switchboard/plugin-sdk/testing';
import StarterPlugin from './index.js';
import { startStandInApi, type StandIn } from './test/stand-in-api.js';

/**
 * Switchboard's conformance kit, run by node:test against the stand-in API. Every rule is one
 * test; a failure names the rule and the sample. Add a case to the corpus for every event and
 * payload shape your provider sends, with the call it must map to.
 */
let api: StandIn;
before(async () => {
  api = await startStandInApi();
});
after(() => api.close());

const corpus: WebhookCorpus = {
  provider: 'starter',
  cases: [
    {
      name: 'completed, JSON body',
      event: 'completed',
      shape: 'template',
      request: {
        method: 'POST',
        query: { event: 'completed' },
        contentType: 'application/json',
        body: {
          id: 'c9',
          status: 'completed',
          caller: '(555) 010-2009',
          revenue: '7.5',
          started_at: '2026-01-01T12:00:00Z',
        },
        receivedAt: '2026-01-01T12:05:00.000Z',
      },
      expected: {
        type: 'call.completed',
        eventId: 'c9:completed',
        occurredAt: '2026-01-01T12:05:00.000Z',
        call: {
          externalId: 'c9',
          status: 'completed',
          callerNumber: '+15550102009',
          revenue: '7.5000',
          startedAt: '2026-01-01T12:00:00.000Z',
        },
      },
    },
  ],
};

/** One call's lifecycle as the provider would send it from the plugin's templates. */
async function lifecycle(): Promise<InboundWebhook[]> {
  return ['incoming', 'answered', 'completed'].map((event, i) => {
    const body = { id: 'c10', status: ['ringing', 'answered', 'completed'][i], caller: '+15550102010' };
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      query: { event },
      contentType: 'application/json',
      rawBody: Buffer.from(JSON.stringify(body)),
      body,
      receivedAt: new Date(Date.UTC(2026, 0, 1, 13, 0, i)),
    };
  });
}

runProviderConformance({
  describe,
  it,
  plugin: StarterPlugin,
  context: (credentials) => createTestContext({ provider: 'starter', credentials, apiBaseUrl: api.baseUrl }),
  credentials: () => ({ ...api.credentials }),
  badCredentials: () => ({ ...api.credentials, apiKey: 'definitely-not-the-key-0000' }),
  historyWindow: () => ({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') }),
  pageSize: 2,
  webhookCorpus: () => corpus,
  sampleWebhooks: lifecycle,
});
