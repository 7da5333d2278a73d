import { ConfigError } from '@switchboard/core';
import { loadConfig, loadConfigSubset, pluginDiscoveryFromEnv } from './app-config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/switchboard',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ENCRYPTION_KEYS: `k1:${KEY}`,
};

describe('loadConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.webhook.bodyLimitBytes).toBe(262144);
    expect(config.webhook.toleranceSeconds).toBe(300);
    expect(config.encryptionKeys).toEqual([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
  });

  it('names the missing variable and what it should look like', () => {
    const { DATABASE_URL: _omit, ...rest } = valid;
    expect(() => loadConfig(rest)).toThrow(ConfigError);
    expect(() => loadConfig(rest)).toThrow(
      /DATABASE_URL must be a PostgreSQL URL like postgresql:\/\/.* \(it is not set\)/,
    );
  });

  it('echoes ordinary bad values but never secret ones', () => {
    expect(() => loadConfig({ ...valid, PORT: 'eighty' })).toThrow(
      /PORT must be a TCP port number.*got "eighty"/,
    );
    let message = '';
    try {
      loadConfig({ ...valid, ENCRYPTION_KEYS: 'k1:super-secret-but-short' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ENCRYPTION_KEYS must be/);
    expect(message).not.toContain('super-secret');
  });

  it('reports every bad variable on one line', () => {
    const error = (() => {
      try {
        loadConfig({ ...valid, PORT: '70000', REDIS_URL: 'http://nope' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message.split('\n')).toHaveLength(1);
    expect(error?.message).toMatch(/PORT/);
    expect(error?.message).toMatch(/REDIS_URL/);
  });

  it('requires an admin token in production', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN/);
  });

  it('parses lists and booleans', () => {
    const config = loadConfig({
      ...valid,
      PLUGINS: ' a, ./b ,',
      LOG_REQUESTS: 'false',
      TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1',
    });
    expect(config.plugins).toEqual(['a', './b']);
    expect(config.logRequests).toBe(false);
    expect(config.webhook.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });
});

describe('loadConfigSubset', () => {
  it('needs only the variables a command uses', () => {
    const raw = loadConfigSubset(['DATABASE_URL'], { DATABASE_URL: 'postgresql://u@h:5432/db' });
    expect(raw.DATABASE_URL).toBe('postgresql://u@h:5432/db');
    expect(() => loadConfigSubset(['DATABASE_URL'], {})).toThrow(
      'Invalid configuration: DATABASE_URL must be a PostgreSQL URL like postgresql://user:password@127.0.0.1:5432/switchboard (it is not set)',
    );
  });

  it('still refuses a bad value of a variable that is set, without echoing secrets', () => {
    expect(() =>
      loadConfigSubset(['DATABASE_URL'], { DATABASE_URL: 'postgresql://h/db', ENCRYPTION_KEYS: 'k1:secret' }),
    ).toThrow(/ENCRYPTION_KEYS must be .*\(the value given is not of that form\)$/);
  });

  it('reads plugin discovery from PLUGINS and PLUGINS_SCAN alone', () => {
    expect(pluginDiscoveryFromEnv({ PLUGINS: 'a, ./b', PLUGINS_SCAN: 'false' })).toMatchObject({
      explicit: ['a', './b'],
      explicitOnly: true,
    });
  });
});
