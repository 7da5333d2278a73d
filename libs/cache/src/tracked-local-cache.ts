import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { watchRedisConnection } from './redis-connection.js';

const INVALIDATE_CHANNEL = '__redis__:invalidate';

/**
 * An in-process copy of hot Redis values under one key prefix, kept true by Redis itself
 * (server-assisted client-side caching): `CLIENT TRACKING ... BCAST PREFIX` makes the server
 * send the name of every key under the prefix that any client changes, expires or deletes to a
 * subscriber connection, and that key is dropped here.
 *
 * A hit costs no round trip, which on loopback is most of a cached read. The tier is only on while
 * both connections are up with tracking in place, and it starts empty every time it comes back, so
 * an invalidation lost in an outage can never leave a stale value. A read that an invalidation
 * overtook (the change landed while the GET was in flight) is returned but not kept.
 */
export class TrackedLocalCache {
  private readonly logger = new Logger('TrackedLocalCache');
  private readonly entries = new Map<string, { value: string; expires: number }>();
  /** Keys whose GET is in flight, and whether an invalidation arrived meanwhile. */
  private readonly inflight = new Map<string, { invalidated: boolean }>();
  private subscriber?: Redis;
  /** The subscriber's client id while it is subscribed (tracking redirects there). */
  private subscriberId?: number;
  private active = false;
  /** Bumped whenever the tier goes off, so reads begun before cannot fill it afterwards. */
  private generation = 0;
  private hits = 0;
  private warned = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxEntries: number,
    private readonly ttlMs = 60_000,
  ) {}

  /** GET through the local tier; the first call opens the invalidation connection. */
  async get(key: string): Promise<string | null> {
    // Redis reports changes under the prefix only: anything else could go stale here.
    if (this.maxEntries <= 0 || !key.startsWith(this.prefix)) return this.redis.get(key);
    if (!this.subscriber) this.start();
    if (this.active) {
      const entry = this.entries.get(key);
      if (entry && entry.expires > Date.now()) {
        this.hits++;
        // Map order is the recency order: re-inserting makes this the newest.
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry.value;
      }
    }
    const track = this.active && !this.inflight.has(key) ? { invalidated: false } : undefined;
    const generation = this.generation;
    if (track) this.inflight.set(key, track);
    try {
      const value = await this.redis.get(key);
      if (track && value !== null && !track.invalidated && this.active && generation === this.generation)
        this.remember(key, value);
      return value;
    } finally {
      if (track) this.inflight.delete(key);
    }
  }

  /** Reads answered without Redis since start, and values held now (tests, diagnostics). */
  stats(): { hits: number; size: number; active: boolean } {
    return { hits: this.hits, size: this.entries.size, active: this.active };
  }

  close(): void {
    this.deactivate();
    this.subscriber?.disconnect();
  }

  private remember(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  private start(): void {
    // Its own connection: in RESP2 invalidations arrive as pub/sub messages, and a subscribed
    // connection can run nothing else. Subscribed again by hand after each reconnect (see track).
    const subscriber = watchRedisConnection(
      this.redis.duplicate({
        autoResubscribe: false,
        enableAutoPipelining: false,
        maxRetriesPerRequest: null,
      }),
      'cache invalidations',
    );
    this.subscriber = subscriber;
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer | Buffer[] | null) => {
      if (channel.toString() !== INVALIDATE_CHANNEL) return;
      // null: the whole database was flushed.
      if (message === null) this.entries.clear();
      for (const key of Array.isArray(message) ? message : message ? [message] : [])
        this.invalidate(key.toString());
    });
    subscriber.on('close', () => (this.subscriberId = undefined));
    for (const connection of [subscriber, this.redis]) {
      connection.on('ready', () => void this.track());
      connection.on('close', () => this.deactivate());
    }
    if (subscriber.status === 'ready') void this.track();
  }

  private invalidate(key: string): void {
    this.entries.delete(key);
    const pending = this.inflight.get(key);
    if (pending) pending.invalidated = true;
  }

  /** (Re)subscribes and points the main connection's tracking at the subscriber. */
  private async track(): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber || subscriber.status !== 'ready' || this.redis.status !== 'ready') return;
    this.deactivate();
    const generation = this.generation;
    try {
      if (this.subscriberId === undefined) {
        const id = (await subscriber.client('ID')) as number;
        await subscriber.subscribe(INVALIDATE_CHANNEL);
        this.subscriberId = id;
      }
      const id = this.subscriberId;
      // OFF first: tracking options cannot be changed while it is on.
      await this.redis.call('CLIENT', 'TRACKING', 'OFF');
      await this.redis.call(
        'CLIENT',
        'TRACKING',
        'ON',
        'REDIRECT',
        String(id),
        'BCAST',
        'PREFIX',
        this.prefix,
      );
      if (generation === this.generation) this.active = true;
    } catch (error) {
      // Redis before 6, or a proxy without CLIENT TRACKING: reads simply go to Redis.
      if (!this.warned) this.logger.warn(`local call cache off: ${(error as Error).message}`);
      this.warned = true;
    }
  }

  private deactivate(): void {
    this.active = false;
    this.generation++;
    this.entries.clear();
  }
}
