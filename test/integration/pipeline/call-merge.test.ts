import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  CALL_STATUSES,
  type CallStatus,
  type NormalizedCall,
  type NormalizedCallEvent,
} from '@switchboard/core';
import { DatabasePool, type CallRow } from '@switchboard/persistence';
import {
  CallEventStore,
  comparableReference,
  comparableRow,
  referenceFold,
  toCallEventRow,
  type CallEventRow,
} from '@switchboard/pipeline';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * The merge statement against real PostgreSQL: idempotence, "never backwards", "older never
 * overwrites newer", and — as a property over random event sequences — that any order, with
 * repeats, split into any batches and run concurrently, ends in the in-order result.
 */
const BASE = Date.parse('2026-11-20T12:00:00.000Z');

let db: TestDatabase;
let pool: DatabasePool;
let store: CallEventStore;

async function newConnection(provider = 'ringba'): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO provider_connections (provider_type, name, credentials, key_id) VALUES ($1, 'merge test', 'x', 'k1') RETURNING id`,
    [provider],
  );
  return rows[0].id;
}

function event(
  connectionId: string,
  externalId: string,
  t: number,
  call: Partial<NormalizedCall>,
  options: { webhookLogId?: string; type?: NormalizedCallEvent['type'] } = {},
): CallEventRow {
  return toCallEventRow({
    connectionId,
    provider: 'ringba',
    source: 'webhook',
    webhookLogId: options.webhookLogId ?? randomUUID(),
    event: {
      type: options.type ?? 'call.updated',
      occurredAt: new Date(BASE + t * 1000),
      call: { externalId, providerData: {}, ...call },
    },
  });
}

async function callRow(connectionId: string, externalId: string): Promise<CallRow> {
  const { rows } = await pool.query<CallRow>(
    'SELECT * FROM calls WHERE connection_id = $1 AND external_id = $2',
    [connectionId, externalId],
  );
  return rows[0];
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new DatabasePool(db.url, 8);
  store = new CallEventStore(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await db?.drop();
}, 60_000);

describe('call merge statement (real PostgreSQL)', () => {
  it('creates the call, records the event and marks the inbox row processed in one statement', async () => {
    const conn = await newConnection();
    const logId = randomUUID();
    // Microseconds a JS Date cannot hold: the partition key is passed as exact text.
    const createdAt = '2026-11-20T08:00:00.123456Z';
    await pool.query(
      `INSERT INTO webhook_logs (id, connection_id, provider, method, verification, status, http_status, created_at)
       VALUES ($1, $2, 'ringba', 'GET', 'verified', 'queued', 202, $3)`,
      [logId, conn, createdAt],
    );
    const stored = await store.store(
      [
        toCallEventRow({
          connectionId: conn,
          provider: 'ringba',
          source: 'webhook',
          webhookLogId: logId,
          webhookLogCreatedAt: createdAt,
          event: {
            type: 'call.started',
            occurredAt: new Date(BASE + 1000),
            call: {
              externalId: 'A1',
              providerData: {},
              status: 'ringing',
              revenue: '12.5',
              campaignName: 'Solar',
            },
          },
        }),
      ],
      [{ id: logId, created_at: createdAt, attempts: 1 }],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].newEvents).toEqual([
      expect.objectContaining({ webhookLogId: logId, eventType: 'call.started' }),
    ]);
    const row = await callRow(conn, 'A1');
    expect(row).toMatchObject({ status: 'ringing', revenue: '12.5000', campaign_name: 'Solar', version: 1 });
    const events = await pool.query('SELECT * FROM call_events WHERE webhook_log_id = $1', [logId]);
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]).toMatchObject({ call_id: row.id, event_type: 'call.started', source: 'webhook' });
    expect(events.rows[0].data).not.toHaveProperty('webhook_log_created_at');
    const dated = await pool.query(
      `SELECT count(*)::int AS n FROM call_events WHERE webhook_log_id = $1 AND created_at = $2`,
      [logId, createdAt],
    );
    expect(dated.rows[0].n).toBe(1);
    const log = await pool.query('SELECT status, attempts, processed_at FROM webhook_logs WHERE id = $1', [
      logId,
    ]);
    expect(log.rows[0]).toMatchObject({ status: 'processed', attempts: 1 });
    expect(log.rows[0].processed_at).toBeInstanceOf(Date);
  });

  it('is idempotent: the same webhook twice leaves one call, one event, and the row unchanged', async () => {
    const conn = await newConnection();
    const e = event(conn, 'B1', 5, { status: 'completed', payout: '3.25' });
    await store.store([e]);
    const before = await callRow(conn, 'B1');
    const again = await store.store([e]);
    expect(again).toEqual([]); // filtered as a redelivery: nothing written
    await store.store([e, e]); // even twice in one batch
    const after = await callRow(conn, 'B1');
    expect(after).toEqual(before);
    const events = await pool.query('SELECT count(*)::int AS n FROM call_events WHERE call_id = $1', [
      before.id,
    ]);
    expect(events.rows[0].n).toBe(1);
    const calls = await pool.query('SELECT count(*)::int AS n FROM calls WHERE connection_id = $1', [conn]);
    expect(calls.rows[0].n).toBe(1);
  });

  it('never moves a status back to an earlier stage; within the final stage the newer event wins', async () => {
    const conn = await newConnection();
    await store.store([event(conn, 'C1', 10, { status: 'completed' })]);
    await store.store([event(conn, 'C1', 20, { status: 'ringing' })]);
    await store.store([event(conn, 'C1', 15, { status: 'in_progress' })]);
    expect((await callRow(conn, 'C1')).status).toBe('completed');
    await store.store([event(conn, 'C1', 5, { status: 'failed' })]); // older final: loses
    expect((await callRow(conn, 'C1')).status).toBe('completed');
    await store.store([event(conn, 'C1', 30, { status: 'failed' })]); // newer final: wins (a correction)
    const row = await callRow(conn, 'C1');
    expect(row.status).toBe('failed');
    expect(row.last_event_at.toISOString()).toBe(new Date(BASE + 30_000).toISOString());
  });

  it('lets an older event fill what newer ones never carried, but never overwrite what they set', async () => {
    const conn = await newConnection();
    await store.store([event(conn, 'D1', 50, { revenue: '20', tags: { state: 'CA' } })]);
    await store.store([
      event(conn, 'D1', 10, { revenue: '5', campaignName: 'Old', tags: { state: 'TX', zip: '90210' } }),
    ]);
    await store.store([event(conn, 'D1', 30, { campaignName: 'Middle' })]);
    const row = await callRow(conn, 'D1');
    expect(row.revenue).toBe('20.0000');
    expect(row.campaign_name).toBe('Middle');
    expect(row.tags).toEqual({ state: 'CA', zip: '90210' });
  });

  it('folds several events of one call inside a batch with the same rule', async () => {
    const conn = await newConnection();
    await store.store([
      event(conn, 'E1', 3, { status: 'completed', durationSeconds: 60 }),
      event(conn, 'E1', 1, { status: 'ringing', callerNumber: '+15550001111', durationSeconds: 1 }),
      event(conn, 'E1', 2, { status: 'in_progress', converted: true }),
    ]);
    const row = await callRow(conn, 'E1');
    expect(row).toMatchObject({
      status: 'completed',
      duration_seconds: 60,
      caller_number: '+15550001111',
      converted: true,
    });
    const events = await pool.query('SELECT count(*)::int AS n FROM call_events WHERE call_id = $1', [
      row.id,
    ]);
    expect(events.rows[0].n).toBe(3);
  });

  it('keeps calls unique per connection and external id', async () => {
    const a = await newConnection();
    const b = await newConnection('retreaver');
    await store.store([event(a, 'SAME', 1, {}), event(b, 'SAME', 1, {})]);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM calls WHERE external_id = 'SAME'`,
    );
    expect(rows[0].n).toBe(2);
    await expect(
      pool.query(
        `INSERT INTO calls (connection_id, provider, external_id, last_event_at) VALUES ($1, 'ringba', 'SAME', now())`,
        [a],
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });
});

// ---- property: any order, repeats, batches and concurrency give the in-order result ----

interface GenEvent {
  call: string;
  t: number;
  status?: CallStatus;
  campaignName?: string;
  revenue?: string;
  converted?: boolean;
  durationSeconds?: number;
  startedAt?: number;
  tags: Record<string, string>;
  providerData: Record<string, string>;
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
// Small value domains on purpose: equal times and competing values are where merges go wrong.
const genEvent: fc.Arbitrary<GenEvent> = fc.record({
  call: fc.constantFrom('P1', 'P2', 'P3'),
  t: fc.integer({ min: 0, max: 12 }),
  status: maybe(fc.constantFrom(...CALL_STATUSES)),
  campaignName: maybe(fc.constantFrom('alpha', 'beta', 'gamma')),
  revenue: maybe(fc.constantFrom('1.5', '2', '10.25', '0')),
  converted: maybe(fc.boolean()),
  durationSeconds: maybe(fc.integer({ min: 0, max: 3 })),
  startedAt: maybe(fc.integer({ min: 0, max: 3 })),
  tags: fc.dictionary(fc.constantFrom('k1', 'k2', 'k3'), fc.constantFrom('x', 'y', 'z'), { maxKeys: 3 }),
  providerData: fc.dictionary(fc.constantFrom('p1', 'p2'), fc.constantFrom('u', 'v'), { maxKeys: 2 }),
});

const scenario = fc.array(genEvent, { minLength: 1, maxLength: 14 }).chain((events) =>
  fc.record({
    events: fc.constant(events),
    // Extra deliveries: the same inbox row again (a redelivered job) or a new row with the same payload.
    repeats: fc.array(fc.record({ index: fc.nat(events.length - 1), sameRow: fc.boolean() }), {
      maxLength: 8,
    }),
    shuffleSeed: fc.integer(),
    batchSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 20 }),
    concurrency: fc.integer({ min: 1, max: 3 }),
  }),
);

function rowsFor(connectionId: string, gen: GenEvent[], logIds: string[]): CallEventRow[] {
  return gen.map((g, i) =>
    event(
      connectionId,
      g.call,
      g.t,
      {
        status: g.status,
        campaignName: g.campaignName,
        revenue: g.revenue,
        converted: g.converted,
        durationSeconds: g.durationSeconds,
        startedAt: g.startedAt === undefined ? undefined : new Date(BASE + g.startedAt * 60_000),
        tags: g.tags,
        providerData: g.providerData,
      },
      { webhookLogId: logIds[i] },
    ),
  );
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function snapshot(connectionId: string): Promise<Record<string, unknown>> {
  const { rows } = await pool.query<CallRow>(
    'SELECT * FROM calls WHERE connection_id = $1 ORDER BY external_id',
    [connectionId],
  );
  return Object.fromEntries(
    rows.map((r) => {
      const { connection_id: _c, ...visible } = comparableRow(r as unknown as Record<string, unknown>);
      return [r.external_id, { ...visible, field_times: r.field_times }];
    }),
  );
}

describe('merge property (real PostgreSQL, fast-check)', () => {
  it('ends in the in-order result for any permutation, repeats, batching and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ events, repeats, shuffleSeed, batchSizes, concurrency }) => {
        const inOrder = await newConnection();
        const scrambled = await newConnection();
        // In order: one event per statement, oldest first.
        const ordered = rowsFor(
          inOrder,
          events,
          events.map(() => randomUUID()),
        )
          .map((row, i) => ({ row, i }))
          .sort((a, b) => Number(a.row.t) - Number(b.row.t) || a.i - b.i);
        for (const { row } of ordered) await store.store([row]);

        // Scrambled: shuffle, add repeats, cut into batches, run several batches at once.
        const base = rowsFor(
          scrambled,
          events,
          events.map(() => randomUUID()),
        );
        const extra = repeats.map(({ index, sameRow }) => ({
          ...base[index],
          webhook_log_id: sameRow ? base[index].webhook_log_id : randomUUID(),
        }));
        const all = shuffled([...base, ...extra], shuffleSeed);
        const batches: CallEventRow[][] = [];
        for (let i = 0, b = 0; i < all.length; b++) {
          const size = batchSizes[b % batchSizes.length];
          batches.push(all.slice(i, i + size));
          i += size;
        }
        for (let i = 0; i < batches.length; i += concurrency) {
          await Promise.all(batches.slice(i, i + concurrency).map((batch) => store.store(batch)));
        }

        const expected = await snapshot(inOrder);
        const actual = await snapshot(scrambled);
        expect(actual).toEqual(expected);

        // And both agree with the rule written out in TypeScript.
        const model = referenceFold(base);
        const modelView = Object.fromEntries(
          [...model.values()].map((c) => {
            const { connection_id: _c, ...visible } = comparableReference(c);
            return [c.externalId, visible];
          }),
        );
        const dbView = Object.fromEntries(
          Object.entries(actual).map(([k, v]) => {
            const { field_times: _f, ...visible } = v as Record<string, unknown>;
            return [k, visible];
          }),
        );
        expect(dbView).toEqual(modelView);

        // Exactly one call_events row per distinct inbox row.
        const { rows } = await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM call_events WHERE connection_id = $1',
          [scrambled],
        );
        expect(rows[0].n).toBe(new Set(all.map((r) => r.webhook_log_id)).size);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
