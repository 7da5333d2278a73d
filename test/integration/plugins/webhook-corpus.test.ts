import * as fs from 'node:fs';
import { getPluginManifest, type CallTrackingProvider, type PluginManifest } from '@switchboard/core';
import RetreaverPlugin from '@switchboard/plugin-retreaver';
import RingbaPlugin from '@switchboard/plugin-ringba';
import { checkWebhookCase, type WebhookCorpus } from '@switchboard/plugin-sdk/testing';
import TrackDrivePlugin from '@switchboard/plugin-trackdrive';
import { createTestProviderContext } from '../../support/provider-context.js';

/**
 * The webhook corpus (test/fixtures/<provider>/webhook-corpus.json): every documented event of
 * each provider, as our template sends it and as the provider's own field names shape it, with the
 * normalized call it must map to (fixtures made by scripts/webhook-corpus.py from one "true" call
 * per provider and the fields each payload carries, never from the mapper's output).
 */
const PLUGINS = { ringba: RingbaPlugin, retreaver: RetreaverPlugin, trackdrive: TrackDrivePlugin } as const;

export function loadCorpus(provider: string): WebhookCorpus {
  const url = new URL(`../../fixtures/${provider}/webhook-corpus.json`, import.meta.url);
  return JSON.parse(fs.readFileSync(url, 'utf8')) as WebhookCorpus;
}

export function adapterFor(provider: keyof typeof PLUGINS, settings: Record<string, unknown> = {}) {
  const manifest = getPluginManifest(PLUGINS[provider]) as PluginManifest;
  const ctx = createTestProviderContext({ provider, credentials: {}, apiBaseUrl: 'http://127.0.0.1:9' });
  return new manifest.adapter({ ...ctx, settings }) as CallTrackingProvider;
}

describe.each(Object.keys(PLUGINS) as Array<keyof typeof PLUGINS>)('%s webhook corpus', (provider) => {
  const corpus = loadCorpus(provider);

  it('covers every documented event in template and native shape', () => {
    const events = new Set(corpus.cases.map((c) => c.event));
    for (const shape of ['template', 'native']) {
      expect(new Set(corpus.cases.filter((c) => c.shape === shape).map((c) => c.event))).toEqual(events);
    }
    const triggers = adapterFor(provider)
      .webhookTemplates({ url: 'https://sb.example.com/w', secret: 's' })
      .map((t) => t.trigger);
    for (const trigger of triggers) expect(events).toContain(trigger);
  });

  it.each(corpus.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    checkWebhookCase(adapterFor(provider, c.settings), c);
  });
});
