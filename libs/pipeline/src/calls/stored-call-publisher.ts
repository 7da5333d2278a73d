import { Injectable, Logger } from '@nestjs/common';
import { CallCache } from '../cache/call-cache.js';
import { LiveEventPublisher } from '../live/live-events.js';
import type { StoredCall } from './call-event-store.js';

/**
 * After a commit: puts the stored calls in the cache and publishes the ones that gained events to
 * the live stream. Best effort (the database is the record); webhooks and syncs share it so a
 * change reaches readers the same way whatever brought it.
 */
@Injectable()
export class StoredCallPublisher {
  private readonly logger = new Logger('StoredCallPublisher');

  constructor(
    private readonly cache: CallCache,
    private readonly live: LiveEventPublisher,
  ) {}

  async publish(stored: readonly StoredCall[]): Promise<void> {
    if (stored.length === 0) return;
    // The view JSON comes from the statement; the same text goes to the cache and the live stream.
    const serialized = stored.map((s) => ({ id: s.id, version: s.version, json: s.viewJson }));
    const events: Array<{ type: string; eventTypes: string[]; callJson: string }> = [];
    stored.forEach((s, i) => {
      if (s.newEvents.length === 0) return;
      events.push({
        type: s.newEvents[s.newEvents.length - 1].eventType,
        eventTypes: s.newEvents.map((e) => e.eventType),
        callJson: serialized[i].json,
      });
    });
    await Promise.all([this.cache.putSerialized(serialized), this.live.publishSerialized(events)]).catch(
      (error: unknown) => this.logger.warn(`cache/live update failed: ${(error as Error).message}`),
    );
  }
}
