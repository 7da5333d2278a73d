import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig } from '@switchboard/config';
import { TEST_REDIS_URL } from './services.js';

/** A validated AppConfig for tests: the given database and Redis prefix, quiet logs, fresh key. */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: overrides.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: TEST_REDIS_URL,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    // Connections point at the loopback simulators, not at the hosts the plugins declare.
    ALLOW_CUSTOM_API_BASE_URLS: 'true',
    // Scheduled syncs would call the simulators on their own; sync tests turn them on.
    SYNC_SCHEDULE_ENABLED: 'false',
    ...overrides,
  });
}
