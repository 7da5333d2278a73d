import { randomBytes } from 'node:crypto';
import { loadConfig } from '@switchboard/config';
import { startupWarnings } from './startup-warnings.js';

const base = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};

describe('an open API is loud and local (issue 12, defect 4)', () => {
  it('binds to loopback and warns when NODE_ENV is unset and no ADMIN_TOKEN is set', () => {
    const config = loadConfig(base);
    expect(config.host).toBe('127.0.0.1');
    const [warning] = startupWarnings(config);
    expect(warning).toMatch(/THE API IS OPEN/);
    expect(warning).toMatch(/loopback/);
  });

  it('keeps an explicit HOST, and says anyone reaching it controls Switchboard', () => {
    const config = loadConfig({ ...base, HOST: '0.0.0.0' });
    expect(config.host).toBe('0.0.0.0');
    expect(startupWarnings(config)[0]).toMatch(/anyone who can reach this address/);
  });

  it('listens everywhere and stays quiet with an ADMIN_TOKEN', () => {
    const config = loadConfig({ ...base, ADMIN_TOKEN: randomBytes(24).toString('hex') });
    expect(config.host).toBe('0.0.0.0');
    expect(startupWarnings(config)).toEqual([]);
  });

  it.each([
    ['24 spaces', ' '.repeat(24), /whitespace/],
    ['a short token', 'abcdef0123456789', /at least 24 characters/],
    ['one repeated character', 'a'.repeat(40), /different characters/],
    ['a short repeated pattern', '123456789'.repeat(4), /different characters/],
    ['ten characters repeated', 'abcdefghij'.repeat(3), /pattern repeated/],
    ['a token with a space', `${randomBytes(16).toString('hex')} x`, /whitespace/],
  ])('refuses %s as ADMIN_TOKEN with a clear message that does not echo it', (_label, token, reason) => {
    let message = '';
    try {
      loadConfig({ ...base, ADMIN_TOKEN: token });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ADMIN_TOKEN must be/);
    expect(message).toMatch(reason);
    if (token.trim()) expect(message).not.toContain(token);
  });

  it('accepts openssl-style random tokens', () => {
    for (let i = 0; i < 20; i++) {
      expect(() => loadConfig({ ...base, ADMIN_TOKEN: randomBytes(24).toString('hex') })).not.toThrow();
      expect(() => loadConfig({ ...base, ADMIN_TOKEN: randomBytes(18).toString('base64url') })).not.toThrow();
    }
  });

  it('reads ALLOW_CUSTOM_API_BASE_URLS (off by default)', () => {
    expect(loadConfig(base).allowCustomApiBaseUrls).toBe(false);
    expect(loadConfig({ ...base, ALLOW_CUSTOM_API_BASE_URLS: 'true' }).allowCustomApiBaseUrls).toBe(true);
  });
});
