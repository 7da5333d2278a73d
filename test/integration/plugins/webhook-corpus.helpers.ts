import * as fs from 'node:fs';
import { getPluginManifest, type CallTrackingProvider, type PluginManifest } from '@switchboard/core';
import RetreaverPlugin from '@switchboard/plugin-retreaver';
import RingbaPlugin from '@switchboard/plugin-ringba';
import type { WebhookCorpus } from '@switchboard/plugin-sdk/testing';
import TrackDrivePlugin from '@switchboard/plugin-trackdrive';
import { createTestProviderContext } from '../../support/provider-context.js';

/** The plugins whose webhook corpus lives in test/fixtures/<provider>/webhook-corpus.json. */
export const PLUGINS = {
  ringba: RingbaPlugin,
  retreaver: RetreaverPlugin,
  trackdrive: TrackDrivePlugin,
} as const;

export function loadCorpus(provider: string): WebhookCorpus {
  const url = new URL(`../../fixtures/${provider}/webhook-corpus.json`, import.meta.url);
  return JSON.parse(fs.readFileSync(url, 'utf8')) as WebhookCorpus;
}

export function adapterFor(provider: keyof typeof PLUGINS, settings: Record<string, unknown> = {}) {
  const manifest = getPluginManifest(PLUGINS[provider]) as PluginManifest;
  const ctx = createTestProviderContext({ provider, credentials: {}, apiBaseUrl: 'http://127.0.0.1:9' });
  return new manifest.adapter({ ...ctx, settings }) as CallTrackingProvider;
}
