import { BadRequestException } from '@nestjs/common';
import { checkPlatformSettings } from './connection-settings.policy.js';

const refusal = (settings: Record<string, unknown>) => {
  try {
    checkPlatformSettings(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as { error: string; details: { field: string } };
  }
  return undefined;
};

describe('checkPlatformSettings', () => {
  it('accepts good zones, sync settings and rate limits, and settings without them', () => {
    expect(refusal({})).toBeUndefined();
    expect(refusal({ timeZone: 'America/New_York' })).toBeUndefined();
    expect(
      refusal({
        timeZone: 'UTC',
        sync: { intervalSeconds: 60, lookbackSeconds: 0, batchSize: 500, enabled: false },
      }),
    ).toBeUndefined();
    expect(
      refusal({ rateLimits: { requestsPerSecond: 5, requestsPerMinute: 100, maxConcurrency: 4 } }),
    ).toBeUndefined();
    expect(refusal({ apiBaseUrl: 'https://example.com', custom: { anything: true } })).toBeUndefined();
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'settings.timeZone'],
    [{ timeZone: 5 }, 'settings.timeZone'],
    [{ timeZone: '' }, 'settings.timeZone'],
    [{ sync: 'often' }, 'settings.sync'],
    [{ sync: { intervalSeconds: 1 } }, 'settings.sync.intervalSeconds'],
    [{ sync: { intervalSeconds: 60.5 } }, 'settings.sync.intervalSeconds'],
    [{ sync: { lookbackSeconds: -1 } }, 'settings.sync.lookbackSeconds'],
    [{ sync: { batchSize: 0 } }, 'settings.sync.batchSize'],
    [{ sync: { enabled: 'yes' } }, 'settings.sync.enabled'],
    [{ rateLimits: [] }, 'settings.rateLimits'],
    [{ rateLimits: { requestsPerSecond: 0 } }, 'settings.rateLimits.requestsPerSecond'],
  ])('refuses %j naming %s', (settings, field) => {
    expect(refusal(settings)).toMatchObject({ error: 'invalid_settings', details: { field } });
  });
});
