import type pg from 'pg';

/** The simulator's record of a call, as far as the check reads it. */
export interface TruthRecord {
  inboundCallId: string;
  callDt: number;
  [field: string]: unknown;
}

export interface TableCheck {
  expected: number;
  stored: number;
  missing: number;
  unexpected: number;
  /** Calls whose checked fields differ from the simulator's record. */
  fieldMismatches: number;
  /** Calls never stamped by a sync (last_synced_at null). */
  notStamped: number;
  callEvents: number;
  samples: string[];
  equal: boolean;
}

/**
 * Compares a connection's `calls` with the simulator's history: every external id (both ways),
 * and for every call the fields a Ringba record carries one to one (start, revenue, payout, cost,
 * durations, campaign, converted), plus the sync's stamp.
 */
export async function checkTable(
  sql: pg.Pool,
  connectionId: string,
  truth: readonly TruthRecord[],
): Promise<TableCheck> {
  const { rows } = await sql.query<{
    external_id: string;
    started_at: Date | null;
    revenue: string | null;
    payout: string | null;
    cost: string | null;
    duration_seconds: number | null;
    connected_duration_seconds: number | null;
    campaign_external_id: string | null;
    converted: boolean | null;
    last_synced_at: Date | null;
  }>(
    `SELECT external_id, started_at, revenue, payout, cost, duration_seconds, connected_duration_seconds,
            campaign_external_id, converted, last_synced_at
       FROM calls WHERE connection_id = $1`,
    [connectionId],
  );
  const stored = new Map(rows.map((r) => [r.external_id, r]));
  const check: TableCheck = {
    expected: truth.length,
    stored: rows.length,
    missing: 0,
    unexpected: 0,
    fieldMismatches: 0,
    notStamped: rows.filter((r) => r.last_synced_at === null).length,
    callEvents: 0,
    samples: [],
    equal: false,
  };
  const money = (value: unknown) => (value === null || value === undefined ? null : Number(value).toFixed(2));
  const ids = new Set<string>();
  for (const record of truth) {
    ids.add(record.inboundCallId);
    const row = stored.get(record.inboundCallId);
    if (!row) {
      if (check.missing++ < 3) check.samples.push(`missing ${record.inboundCallId}`);
      continue;
    }
    const differences: string[] = [];
    const compare = (field: string, ours: unknown, theirs: unknown) => {
      if (ours !== theirs) differences.push(`${field}: ${String(ours)} != ${String(theirs)}`);
    };
    compare('started_at', row.started_at?.getTime(), record.callDt);
    compare('revenue', money(row.revenue), money(record.conversionAmount));
    compare('payout', money(row.payout), money(record.payoutAmount));
    compare('cost', money(row.cost), money(record.totalCost));
    compare('duration_seconds', row.duration_seconds, record.callLengthInSeconds);
    compare(
      'connected_duration_seconds',
      row.connected_duration_seconds,
      record.connectedCallLengthInSeconds,
    );
    compare('campaign_external_id', row.campaign_external_id, record.campaignId);
    compare('converted', row.converted, record.hasConverted);
    if (differences.length > 0 && check.fieldMismatches++ < 3) {
      check.samples.push(`${record.inboundCallId}: ${differences.join('; ')}`);
    }
  }
  check.unexpected = rows.filter((r) => !ids.has(r.external_id)).length;
  check.callEvents = Number(
    (await sql.query('SELECT count(*) AS n FROM call_events WHERE connection_id = $1', [connectionId]))
      .rows[0].n,
  );
  check.equal =
    check.missing === 0 &&
    check.unexpected === 0 &&
    check.fieldMismatches === 0 &&
    check.notStamped === 0 &&
    check.stored === truth.length;
  return check;
}
