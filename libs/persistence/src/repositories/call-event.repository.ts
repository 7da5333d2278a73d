import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/** A `call_events` row: one webhook or sync event folded into a call. */
export interface CallEventRow {
  id: string;
  call_id: string;
  connection_id: string;
  webhook_log_id: string | null;
  source: string;
  event_type: string;
  occurred_at: Date;
  data: Record<string, unknown>;
  created_at: Date;
}

/** Reads of `call_events` (writes are the pipeline's, in its one transaction per batch). */
@Injectable()
export class CallEventRepository {
  constructor(private readonly pool: DatabasePool) {}

  /** A call's events in the order they happened (then as received), at most `limit`, after `offset`. */
  async listForCall(callId: string, limit: number, offset = 0): Promise<CallEventRow[]> {
    const { rows } = await this.pool.query<CallEventRow>(
      `SELECT id, call_id, connection_id, webhook_log_id, source, event_type, occurred_at, data, created_at
       FROM call_events WHERE call_id = $1
       ORDER BY occurred_at, created_at, id LIMIT $2 OFFSET $3`,
      [callId, limit, offset],
    );
    return rows;
  }
}
