import { ConfigError } from '@switchboard/core';
import { loadConfig } from './app-config.js';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/switchboard',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('retention settings', () => {
  it('defaults to 90 days of logs, 365 of call events, 30 of raw bodies', () => {
    expect(loadConfig(valid).retention).toEqual({
      webhookLogDays: 90,
      callEventDays: 365,
      rawPayloadDays: 30,
    });
  });

  it('reads the three variables; 0 keeps forever', () => {
    const config = loadConfig({
      ...valid,
      WEBHOOK_LOG_RETENTION_DAYS: '0',
      CALL_EVENT_RETENTION_DAYS: '400',
      RAW_PAYLOAD_RETENTION_DAYS: '7',
    });
    expect(config.retention).toEqual({ webhookLogDays: 0, callEventDays: 400, rawPayloadDays: 7 });
  });

  it('lets the default raw retention follow a shorter log retention', () => {
    expect(loadConfig({ ...valid, WEBHOOK_LOG_RETENTION_DAYS: '10' }).retention.rawPayloadDays).toBe(10);
  });

  it('refuses raw bodies kept longer than their rows, naming both variables', () => {
    const env = { ...valid, WEBHOOK_LOG_RETENTION_DAYS: '30', RAW_PAYLOAD_RETENTION_DAYS: '60' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      /RAW_PAYLOAD_RETENTION_DAYS must be .*at most WEBHOOK_LOG_RETENTION_DAYS.*got 60, but WEBHOOK_LOG_RETENTION_DAYS is 30/,
    );
  });

  it('refuses values that are not whole numbers of days in range', () => {
    expect(() => loadConfig({ ...valid, CALL_EVENT_RETENTION_DAYS: 'a year' })).toThrow(
      /CALL_EVENT_RETENTION_DAYS must be days call events are kept, 0 to 36500 .*got "a year"/,
    );
    expect(() => loadConfig({ ...valid, WEBHOOK_LOG_RETENTION_DAYS: '-1' })).toThrow(
      /WEBHOOK_LOG_RETENTION_DAYS must be days webhook logs are kept/,
    );
  });
});
