import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { RedisClient, watchRedisConnection } from '@switchboard/cache';
import { OutageLog } from '@switchboard/core';
import type { Redis } from 'ioredis';
import { liveStreamKey, type LiveCallEvent, type LiveEntry } from './live-events.js';

export interface LiveSubscriber {
  onEntry(entry: LiveEntry): void;
  /** The process is shutting down: end the client's stream. */
  onClose(): void;
}

export interface Backlog {
  entries: LiveEntry[];
  /** Entries after `lastEventId` may have been trimmed away: the client should re-read what it needs. */
  gap: boolean;
}

const BLOCK_MS = 5_000;
const READ_COUNT = 500;
const BACKLOG_LIMIT = 10_000;

/**
 * One reader of the live Redis Stream per API process (a blocking XREAD on its own connection),
 * fanned out to the SSE clients connected to this process. Started on the first subscriber.
 */
@Injectable()
export class LiveCallStream implements OnModuleDestroy {
  private readonly logger = new Logger('LiveStream');
  private readonly outage = new OutageLog(this.logger, 'live stream reader (Redis)');
  private readonly key: string;
  private readonly subscribers = new Set<LiveSubscriber>();
  private reader: Redis | undefined;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly client: RedisClient) {
    this.key = liveStreamKey(client.prefix);
  }

  /** Registers a subscriber; call the returned function when its client goes away. */
  async subscribe(subscriber: LiveSubscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    await this.start();
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Entries after `lastEventId` still in the stream's window (oldest first). */
  async since(lastEventId: string): Promise<Backlog> {
    const redis = this.client.redis;
    const [oldest] = await redis.xrange(this.key, '-', '+', 'COUNT', 1);
    const raw = await redis.xrange(this.key, `(${lastEventId}`, '+', 'COUNT', BACKLOG_LIMIT);
    const entries = raw
      .map(([id, fields]) => toEntry(id, fields))
      .filter((e): e is LiveEntry => e !== undefined);
    const gap = oldest !== undefined && compareIds(oldest[0], lastEventId) > 0;
    return { entries, gap };
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    for (const subscriber of this.subscribers) subscriber.onClose();
    this.subscribers.clear();
    this.reader?.disconnect();
    await this.loop?.catch(() => undefined);
  }

  private async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // duplicate() does not copy listeners: without its own, the reader's errors are raw console dumps.
    this.reader = watchRedisConnection(
      this.client.redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false }),
      'live stream reader',
    );
    // Start from the newest entry now, so the loop never replays history to live clients ('$' =
    // only what comes next, when Redis cannot say what the newest is; '0-0' for an empty stream).
    const newest = await this.client.redis
      .xrevrange(this.key, '+', '-', 'COUNT', 1)
      .then((entries) => entries[0]?.[0] ?? '0-0')
      .catch(() => '$');
    this.loop = this.read(newest);
  }

  private async read(from: string): Promise<void> {
    let lastId = from;
    while (this.running && this.reader) {
      try {
        const result = (await this.reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.key,
          lastId,
        )) as Array<[string, Array<[string, string[]]>]> | null;
        this.outage.success();
        for (const [, items] of result ?? []) {
          for (const [id, fields] of items) {
            lastId = id;
            const entry = toEntry(id, fields);
            if (!entry) continue;
            for (const subscriber of this.subscribers) subscriber.onEntry(entry);
          }
        }
      } catch (error) {
        if (!this.running) return;
        this.outage.failure(error);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}

function toEntry(id: string, fields: string[]): LiveEntry | undefined {
  const index = fields.indexOf('e');
  if (index < 0) return undefined;
  try {
    return { id, event: JSON.parse(fields[index + 1]) as LiveCallEvent };
  } catch {
    return undefined;
  }
}

/** Orders Redis Stream ids ("ms-seq"). */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map((p) => BigInt(p || '0'));
  const [bMs, bSeq] = b.split('-').map((p) => BigInt(p || '0'));
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

/** A Redis Stream id as a client may send it back (Last-Event-ID). */
export function isStreamId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value);
}
