import { Injectable } from '@nestjs/common';
import type { MappingWarning } from '@switchboard/core';
import { DatabasePool } from '@switchboard/persistence';
import { serializeCallEvent, type CallEventRow, type SerializedCallEvent } from './call-event-row.js';
import { CALL_STORE_SQL } from './call-upsert.sql.js';

/** An inbox row to mark processed in the same transaction, with the attempt that processed it. */
export interface ProcessedLog {
  id: string;
  /** The row's created_at exactly (its partition key, as loadForProcessing's created_at_key gives it). */
  created_at: string;
  attempts: number;
  /** Values the mapper could not use (stored on webhook_logs.mapping_warnings); null/absent = none. */
  mapping_warnings?: readonly MappingWarning[] | null;
}

export interface StoredEvent {
  webhookLogId: string | null;
  eventType: string;
  occurredAt: string;
}

/** A call as the transaction left it, with the events it added to it (none for redeliveries). */
export interface StoredCall {
  id: string;
  connectionId: string;
  externalId: string;
  version: number;
  /** The call's view (CallView) as JSON text, built by PostgreSQL. */
  viewJson: string;
  newEvents: StoredEvent[];
}

/** A row of CALL_STORE_SQL's result: a call it touched, or an inbox id whose event it recorded now. */
interface StoreResultRow {
  id: string | null;
  connection_id: string;
  external_id: string;
  version: number;
  view_json: string;
  recorded_webhook_log_id: string | null;
}

const key = (connectionId: string, externalId: string) => `${connectionId}|${externalId}`;

/**
 * Stores a batch in one transaction of one statement (CALL_STORE_SQL, where the merge rule lives):
 * the call upsert, the call_events rows and the inbox rows marked processed. Node never reads a call
 * to decide how to write it. The statement is prepared once per pooled connection.
 */
@Injectable()
export class CallEventStore {
  constructor(private readonly pool: DatabasePool) {}

  store(events: readonly CallEventRow[], processed: readonly ProcessedLog[] = []): Promise<StoredCall[]> {
    return this.storeSerialized(events.map(serializeCallEvent), processed);
  }

  /** The same for events already serialized (the worker serializes each one as it maps it). */
  async storeSerialized(
    events: readonly SerializedCallEvent[],
    processed: readonly ProcessedLog[] = [],
  ): Promise<StoredCall[]> {
    if (events.length === 0 && processed.length === 0) return [];
    const rows = await this.pool.transaction(async (client) => {
      const result = await client.query<StoreResultRow>({
        name: 'pipeline_call_store',
        text: CALL_STORE_SQL,
        values: [`[${events.map((event) => event.element).join(',')}]`, JSON.stringify(processed)],
      });
      return result.rows;
    });
    const calls = rows.filter((row): row is StoreResultRow & { id: string } => row.id !== null);
    const fresh = new Set(rows.map((row) => row.recorded_webhook_log_id).filter((id) => id !== null));
    const byKey = new Map(calls.map((row) => [key(row.connection_id, row.external_id), row]));
    const newEvents = new Map<string, StoredEvent[]>();
    for (const event of events) {
      // Not in the result: every event of its call was filtered out as a redelivery.
      const call = byKey.get(key(event.connectionId, event.externalId));
      if (!call) continue;
      // Sync events (no inbox row) are always new; webhook events only when their row was inserted now.
      if (event.webhookLogId !== null && !fresh.has(event.webhookLogId)) continue;
      const list = newEvents.get(call.id) ?? [];
      list.push({
        webhookLogId: event.webhookLogId,
        eventType: event.eventType,
        occurredAt: event.occurredAt,
      });
      newEvents.set(call.id, list);
    }
    return calls.map((row) => ({
      id: row.id,
      connectionId: row.connection_id,
      externalId: row.external_id,
      version: row.version,
      viewJson: row.view_json,
      newEvents: (newEvents.get(row.id) ?? []).sort(
        (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt),
      ),
    }));
  }
}
