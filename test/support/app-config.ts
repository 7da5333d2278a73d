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
    ...overrides,
  });
}
