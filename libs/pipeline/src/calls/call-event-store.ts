import { Injectable } from '@nestjs/common';
import { DatabasePool, type CallRow } from '@switchboard/persistence';
import type { CallEventRow } from './call-event-row.js';
import { CALL_UPSERT_SQL } from './call-upsert.sql.js';

/** An inbox row to mark processed in the same statement, with the attempt that processed it. */
export interface ProcessedLog {
  id: string;
  attempts: number;
}

export interface StoredEvent {
  webhookLogId: string | null;
  eventType: string;
  occurredAt: string;
}

/** A call as the statement left it, with the events this statement added to it (none for redeliveries). */
export interface StoredCall {
  row: CallRow;
  newEvents: StoredEvent[];
}

/**
 * Runs CALL_UPSERT_SQL: one round trip, one implicit transaction, for a whole batch. Node never
 * reads a call to decide how to write it; the merge rule lives in the statement.
 */
@Injectable()
export class CallEventStore {
  constructor(private readonly pool: DatabasePool) {}

  async store(
    events: readonly CallEventRow[],
    processed: readonly ProcessedLog[] = [],
  ): Promise<StoredCall[]> {
    if (events.length === 0 && processed.length === 0) return [];
    const result = await this.pool.query<CallRow & { new_events: StoredEvent[] | null }>(CALL_UPSERT_SQL, [
      JSON.stringify(events),
      JSON.stringify(processed),
    ]);
    return result.rows.map(({ new_events, ...row }) => ({ row, newEvents: new_events ?? [] }));
  }
}
