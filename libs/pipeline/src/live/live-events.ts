import { Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '@switchboard/cache';
import { AppConfig } from '@switchboard/config';
import { OutageLog } from '@switchboard/core';
import type { CallView } from '../calls/call-view.js';

/** What the live stream carries per stored change of a call. */
export interface LiveCallEvent {
  /** Type of the newest event that changed the call in this write (e.g. "call.completed"). */
  type: string;
  /** Every event type folded into the call by this write, oldest first. */
  eventTypes: string[];
  call: CallView;
}

/** One stream entry: its Redis Stream id (also the SSE id) and the event. */
export interface LiveEntry {
  id: string;
  event: LiveCallEvent;
}

/** The Redis Stream every API process reads; one per deployment (REDIS_PREFIX). */
export function liveStreamKey(prefix: string): string {
  return `${prefix}:live:calls`;
}

/**
 * Publishes call changes to a Redis Stream (XADD ... MAXLEN ~ n), so every API process can feed
 * its SSE clients and a client that reconnects can be given what it missed from the recent window.
 */
@Injectable()
export class LiveEventPublisher {
  private readonly logger = new Logger('LiveEvents');
  /** Events are dropped while Redis is down (the database is the record): one line per outage. */
  private readonly outage = new OutageLog(this.logger, 'live stream publishing (Redis)');
  private readonly key: string;
  private readonly maxLen: number;

  constructor(
    private readonly client: RedisClient,
    config: AppConfig,
  ) {
    this.key = liveStreamKey(client.prefix);
    this.maxLen = config.worker.liveStreamMaxEvents;
  }

  async publishMany(events: readonly LiveCallEvent[]): Promise<void> {
    await this.publishSerialized(
      events.map((e) => ({ type: e.type, eventTypes: e.eventTypes, callJson: JSON.stringify(e.call) })),
    );
  }

  /** Like publishMany, with each call already serialized (the worker reuses the cache's JSON). */
  async publishSerialized(
    events: ReadonlyArray<{ type: string; eventTypes: string[]; callJson: string }>,
  ): Promise<void> {
    if (events.length === 0) return;
    if (this.client.redis.status !== 'ready') {
      this.outage.failure(new Error(`Redis ${this.client.redis.status}; events are not published`));
      return;
    }
    const pipeline = this.client.redis.pipeline();
    for (const event of events) {
      const json = `{"type":${JSON.stringify(event.type)},"eventTypes":${JSON.stringify(event.eventTypes)},"call":${event.callJson}}`;
      pipeline.xadd(this.key, 'MAXLEN', '~', this.maxLen, '*', 'e', json);
    }
    await pipeline.exec().then(
      () => this.outage.success(),
      (error: unknown) => this.outage.failure(error),
    );
  }
}
