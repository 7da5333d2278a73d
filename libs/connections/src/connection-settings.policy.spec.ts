import { ConnectionError } from './connection-errors.js';
import { checkPlatformSettings, checkPluginSettings } from './connection-settings.policy.js';

const refusal = (settings: Record<string, unknown>) => {
  try {
    checkPlatformSettings(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionError);
    const { code, details } = error as ConnectionError;
    return { error: code, details };
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
    // 0 turns a window off (a bench or an account without a per-minute budget).
    expect(
      refusal({ rateLimits: { requestsPerMinute: 0, requestsPerHour: 1000, requestsPerDay: 10_000 } }),
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
    [{ rateLimits: { requestsPerSecond: -1 } }, 'settings.rateLimits.requestsPerSecond'],
    [{ rateLimits: { requestsPerHour: 1.5 } }, 'settings.rateLimits.requestsPerHour'],
    [{ rateLimits: { requestsPerDay: '10000' } }, 'settings.rateLimits.requestsPerDay'],
    [{ rateLimits: { maxConcurrency: 0 } }, 'settings.rateLimits.maxConcurrency'],
  ])('refuses %j naming %s', (settings, field) => {
    expect(refusal(settings)).toMatchObject({ error: 'invalid_settings', details: { field } });
  });
});

describe('checkPluginSettings', () => {
  const manifest = {
    validateSettings: (settings: Readonly<Record<string, unknown>>) =>
      settings.mapping === undefined
        ? [
            { field: 'settings.mapping', message: 'is required' },
            { field: 'settings.other', message: 'is wrong too' },
          ]
        : [],
  };

  it("refuses the plugin's problems as invalid_settings naming the first field, listing all", () => {
    try {
      checkPluginSettings(undefined, manifest);
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectionError);
      const { code, message, details } = error as ConnectionError;
      expect({ error: code, message, details }).toEqual({
        error: 'invalid_settings',
        message: 'settings.mapping is required',
        details: {
          field: 'settings.mapping',
          problems: [
            { field: 'settings.mapping', message: 'is required' },
            { field: 'settings.other', message: 'is wrong too' },
          ],
        },
      });
    }
  });

  it('accepts settings the plugin finds fine, and any settings of a plugin without the hook', () => {
    expect(() => checkPluginSettings({ mapping: {} }, manifest)).not.toThrow();
    expect(() => checkPluginSettings({ anything: 1 }, {})).not.toThrow();
  });
});
