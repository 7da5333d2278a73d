import * as fs from 'node:fs';
import RetreaverPlugin from '@switchboard/plugin-retreaver';
import RingbaPlugin from '@switchboard/plugin-ringba';
import { hasCapability } from '@switchboard/plugin-sdk';
import { runProviderConformance, type WebhookCorpus } from '@switchboard/plugin-sdk/testing';
import TrackDrivePlugin from '@switchboard/plugin-trackdrive';
import { SIMULATORS } from '../../simulators/src/registry.js';
import { createTestProviderContext } from '../../support/provider-context.js';
import { captureWebhooks } from './capture-webhooks.helpers.js';

const WIDE_WINDOW = () => ({ from: new Date('2020-01-01T00:00:00Z'), to: new Date(Date.now() + 86_400_000) });

for (const [provider, plugin] of [
  ['ringba', RingbaPlugin],
  ['retreaver', RetreaverPlugin],
  ['trackdrive', TrackDrivePlugin],
] as const) {
  const sim = SIMULATORS[provider]({ seed: 11, historyCalls: 35 });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  runProviderConformance<Record<string, string>>({
    plugin,
    context: (credentials) => createTestProviderContext({ provider, credentials, apiBaseUrl: sim.baseUrl }),
    credentials: () => ({ ...sim.credentials }),
    badCredentials: () => {
      const bad = { ...sim.credentials };
      const secretField = Object.keys(bad).find(
        (k) => /token|key|private/i.test(k) && !/public|company|account/i.test(k),
      );
      bad[secretField ?? Object.keys(bad)[0]] = 'definitely-not-the-right-secret-0000';
      return bad;
    },
    historyWindow: WIDE_WINDOW,
    pageSize: 10,
    // Retreaver provisions a number for one campaign and affiliate (cid + afid).
    numberOptions: async (adapter) => {
      if (provider !== 'retreaver' || !hasCapability(adapter, 'campaigns')) return { countryCode: 'US' };
      const [campaign] = await adapter.getCampaigns();
      return { countryCode: 'US', campaignExternalId: campaign.externalId, extra: { afid: '0001' } };
    },
    sampleWebhooks: () => captureWebhooks(sim),
    webhookCorpus: () =>
      JSON.parse(
        fs.readFileSync(new URL(`../../fixtures/${provider}/webhook-corpus.json`, import.meta.url), 'utf8'),
      ) as WebhookCorpus,
  });
}
