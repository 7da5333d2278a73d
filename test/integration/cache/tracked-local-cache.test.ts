import { Redis } from 'ioredis';
import { TrackedLocalCache } from '@switchboard/cache';
import { uniqueRedisPrefix } from '../../support/redis.js';
import { TEST_REDIS_URL } from '../../support/services.js';
import { waitFor } from '../pipeline/pipeline-harness.js';

/** The api's in-process tier of hot calls, kept true by Redis client tracking (real Redis). */
describe('TrackedLocalCache (real Redis)', () => {
  const prefix = `${uniqueRedisPrefix('near')}:cache:call:`;
  let reader: Redis;
  let writer: Redis;
  let cache: TrackedLocalCache;

  beforeEach(async () => {
    reader = new Redis(TEST_REDIS_URL);
    writer = new Redis(TEST_REDIS_URL);
    cache = new TrackedLocalCache(reader, prefix, 3);
    await cache.get(`${prefix}warm-up`);
    await waitFor(() => cache.stats().active);
  });

  afterEach(async () => {
    cache.close();
    const keys = await writer.keys(`${prefix}*`);
    if (keys.length > 0) await writer.del(...keys);
    reader.disconnect();
    writer.disconnect();
  });

  /** Reads until the value is served from memory (a read that raced an invalidation is not kept). */
  async function readLocally(key: string): Promise<string | null> {
    let value: string | null = null;
    await waitFor(async () => {
      const before = cache.stats().hits;
      value = await cache.get(key);
      return cache.stats().hits > before;
    });
    return value;
  }

  it('answers a repeated read from memory, and a change made by another client at once after Redis says so', async () => {
    await writer.set(`${prefix}a`, 'v1');
    expect(await cache.get(`${prefix}a`)).toBe('v1');
    expect(await readLocally(`${prefix}a`)).toBe('v1');

    await writer.set(`${prefix}a`, 'v2');
    await waitFor(async () => (await cache.get(`${prefix}a`)) === 'v2', 2_000);
    expect(await readLocally(`${prefix}a`)).toBe('v2');

    await writer.unlink(`${prefix}a`);
    await waitFor(async () => (await cache.get(`${prefix}a`)) === null, 2_000);
    expect(cache.stats().size).toBe(0);
  });

  it('keeps no more than its size, dropping the least recently read', async () => {
    for (const k of ['a', 'b', 'c', 'd']) await writer.set(`${prefix}${k}`, k);
    for (const k of ['a', 'b', 'c']) await readLocally(`${prefix}${k}`);
    await readLocally(`${prefix}a`); // a is now the newest, b the oldest
    await readLocally(`${prefix}d`);
    expect(cache.stats().size).toBe(3);
    const hits = cache.stats().hits;
    await cache.get(`${prefix}b`); // evicted: a Redis read, not a hit
    expect(cache.stats().hits).toBe(hits);
  });

  it('keeps nothing outside its prefix', async () => {
    const other = `${uniqueRedisPrefix('other')}:x`;
    await writer.set(other, 'o');
    await cache.get(other);
    await cache.get(other);
    expect(cache.stats().hits).toBe(0);
    await writer.del(other);
  });

  it('starts empty and tracks again after either connection is dropped', async () => {
    await writer.set(`${prefix}a`, 'v1');
    await readLocally(`${prefix}a`);

    // The invalidation connection goes away: whatever it missed must not be served.
    const info = (await reader.call('CLIENT', 'TRACKINGINFO')) as unknown[];
    const subscriberId = info[info.indexOf('redirect') + 1] as number;
    expect(subscriberId).toBeGreaterThan(0);
    await writer.client('KILL', 'ID', String(subscriberId));
    await writer.set(`${prefix}a`, 'v2');
    await waitFor(async () => (await cache.get(`${prefix}a`)) === 'v2', 5_000);
    await waitFor(() => cache.stats().active, 5_000);
    expect(await readLocally(`${prefix}a`)).toBe('v2');
    await writer.set(`${prefix}a`, 'v3');
    await waitFor(async () => (await cache.get(`${prefix}a`)) === 'v3', 2_000);

    // The reading connection goes away: its tracking is gone with it and must be set up again.
    await writer.client('KILL', 'ID', String(await reader.client('ID')));
    await waitFor(async () => reader.status === 'ready' && cache.stats().active, 5_000);
    expect(await readLocally(`${prefix}a`)).toBe('v3');
    await writer.set(`${prefix}a`, 'v4');
    await waitFor(async () => (await cache.get(`${prefix}a`)) === 'v4', 2_000);
  });

  it('is a plain Redis read when its size is 0', async () => {
    const off = new TrackedLocalCache(reader, prefix, 0);
    await writer.set(`${prefix}a`, 'v1');
    expect(await off.get(`${prefix}a`)).toBe('v1');
    expect(await off.get(`${prefix}a`)).toBe('v1');
    expect(off.stats()).toEqual({ hits: 0, size: 0, active: false });
    off.close();
  });
});
