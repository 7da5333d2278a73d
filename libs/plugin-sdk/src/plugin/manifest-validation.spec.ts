import { IsString } from 'class-validator';
import { validateManifest } from './manifest-validation.js';
import type { PluginManifest } from './plugin-manifest.js';

class Credentials {
  @IsString()
  apiKey!: string;
}

class HistoryOnly {
  async authenticate(): Promise<void> {}
  async getCalls() {
    return { calls: [] };
  }
}

const manifest = (rateLimits: PluginManifest['rateLimits']): PluginManifest => ({
  provider: 'callrail',
  displayName: 'CallRail',
  version: '1.0.0',
  compatibility: '^1.0.0',
  features: { realtime: true, recording: true },
  credentials: Credentials,
  secretCredentialFields: ['apiKey'],
  adapter: HistoryOnly,
  rateLimits,
  sync: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 3600 },
  webhooks: { schemes: ['hmac'] },
});

describe('manifest rate limits', () => {
  it('accepts per-hour and per-day budgets (CallRail: 1,000 an hour, 10,000 a day)', () => {
    expect(validateManifest(manifest({ requestsPerHour: 1000, requestsPerDay: 10_000 }))).toEqual([]);
  });

  it('names a limit that is not a positive integer', () => {
    expect(validateManifest(manifest({ requestsPerHour: 0, requestsPerDay: 2.5 }))).toEqual([
      'rateLimits.requestsPerHour must be a positive integer',
      'rateLimits.requestsPerDay must be a positive integer',
    ]);
  });
});
