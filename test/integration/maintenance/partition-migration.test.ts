import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabasePool, WebhookInboxRepository, migrate, readMigrations } from '@switchboard/persistence';
import { CallEventStore, toCallEventRow } from '@switchboard/pipeline';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.js';
import { MIGRATIONS_DIR } from '../../support/services.js';

/**
 * The partitioning migration against a database that holds rows in the old (unpartitioned)
 * schema: every row of webhook_logs and call_events survives with every value, rows land in the
 * partition of their month, and redelivery detection keeps working on the migrated rows.
 */
const PARTITION_MIGRATION = '20261127122200_partition_logs_and_events';

/** A copy of the migrations folder holding only the migrations before the partitioning one. */
function migrationsBefore(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-migrations-before-'));
  for (const m of readMigrations(MIGRATIONS_DIR)) {
    if (m.name >= name) continue;
    fs.cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
  }
  const lock = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(dir, 'migration_lock.toml'));
  return dir;
}

let db: TestDatabase;
let pool: DatabasePool;

beforeAll(async () => {
  db = await createEmptyDatabase();
  pool = new DatabasePool(db.url, 4);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await db?.drop();
}, 60_000);

type Row = Record<string, unknown>;

async function rowsById(table: string): Promise<Map<string, Row>> {
  const { rows } = await pool.query<{ id: string; row: Row }>(
    `SELECT id, to_jsonb(t) AS row FROM ${table} t ORDER BY id`,
  );
  return new Map(rows.map((r) => [r.id, r.row]));
}

describe('partitioning migration (real PostgreSQL, rows in the old schema)', () => {
  it('keeps every row and value, files rows by month, and keeps duplicates detected', async () => {
    await migrate({ databaseUrl: db.url, migrationsDir: migrationsBefore(PARTITION_MIGRATION) });

    // Old schema: webhook_logs.dedup_key and call_events.webhook_log_id are globally unique.
    const { rows: conns } = await pool.query<{ id: string }>(
      `INSERT INTO provider_connections (provider_type, name, credentials, key_id) VALUES ('ringba', 'old', 'x', 'k1') RETURNING id`,
    );
    const conn = conns[0].id;
    // 600 inbox rows over 15 months (the oldest two years back), microsecond times, a month-end edge,
    // every status, raw bodies with every byte value, dedup keys on most.
    await pool.query(
      `INSERT INTO webhook_logs (id, connection_id, provider, event_type, event_id, dedup_key, method, content_type,
         query, headers, raw_body, source_ip, verification, status, http_status, attempts, error, received_at,
         processed_at, created_at, updated_at)
       SELECT gen_random_uuid(), CASE WHEN g % 10 = 0 THEN NULL ELSE $1::uuid END, 'ringba', 'call.completed',
         'evt-' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE $1 || ':evt-' || g END, 'POST', 'application/json',
         jsonb_build_object('g', g), jsonb_build_object('x-test', g::text),
         CASE WHEN g % 5 = 0 THEN NULL ELSE decode(repeat(lpad(to_hex(g % 256), 2, '0'), 40), 'hex') END,
         '10.0.0.' || (g % 250), 'verified',
         (ARRAY['received','queued','processed','failed','rejected','ignored'])[1 + g % 6]::webhook_status,
         202, g % 4, CASE WHEN g % 9 = 0 THEN 'boom ' || g END,
         now() - g * interval '1 day' - g * interval '1 microsecond',
         CASE WHEN g % 3 = 0 THEN now() - g * interval '1 day' + interval '1 second' END,
         now() - g * interval '1 day' - g * interval '1 microsecond' + interval '5 milliseconds',
         now() - g * interval '1 day'
       FROM generate_series(1, 600) g`,
      [conn],
    );
    await pool.query(
      `INSERT INTO webhook_logs (id, connection_id, provider, method, verification, status, http_status, created_at)
       VALUES (gen_random_uuid(), $1, 'ringba', 'POST', 'verified', 'processed', 202, '2026-06-30 23:59:59.999999+00'),
              (gen_random_uuid(), $1, 'ringba', 'POST', 'verified', 'processed', 202, '2026-07-01 00:00:00+00')`,
      [conn],
    );
    await pool.query(
      `INSERT INTO calls (connection_id, provider, external_id, last_event_at)
       SELECT $1, 'ringba', 'C' || g, now() FROM generate_series(1, 50) g`,
      [conn],
    );
    // One event per processed inbox row (created_at a little after the row, as the worker wrote it),
    // plus sync events without an inbox row.
    await pool.query(
      `INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, data, created_at)
       SELECT c.id, $1, w.id, 'webhook', 'call.completed', w.received_at, jsonb_build_object('n', w.event_id),
         w.created_at + interval '250 milliseconds'
       FROM webhook_logs w JOIN calls c ON c.external_id = 'C' || (1 + abs(hashtext(w.id::text)) % 50)
       WHERE w.status = 'processed'`,
      [conn],
    );
    await pool.query(
      `INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, created_at)
       SELECT c.id, $1, NULL, 'sync', 'call.updated', now() - interval '3 days', now() - g * interval '17 days'
       FROM calls c, generate_series(1, 3) g WHERE c.external_id IN ('C1', 'C2')`,
      [conn],
    );
    const logsBefore = await rowsById('webhook_logs');
    const eventsBefore = await rowsById('call_events');
    const { rows: linked } = await pool.query<{ id: string; log_created_at: string }>(
      `SELECT ce.id, to_jsonb(w.created_at) #>> '{}' AS log_created_at FROM call_events ce JOIN webhook_logs w ON w.id = ce.webhook_log_id`,
    );
    expect(logsBefore.size).toBe(602);
    expect(eventsBefore.size).toBeGreaterThan(100);

    const result = await migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR });
    expect(result.applied).toContain(PARTITION_MIGRATION);

    // Both tables are partitioned now.
    const { rows: kinds } = await pool.query<{ relname: string; relkind: string }>(
      `SELECT relname, relkind FROM pg_class WHERE relname IN ('webhook_logs', 'call_events') AND relnamespace = 'public'::regnamespace`,
    );
    expect(kinds.map((k) => k.relkind)).toEqual(['p', 'p']);

    // Every webhook_logs row survives with every value it had (columns added later are ignored).
    const logsAfter = await rowsById('webhook_logs');
    expect(logsAfter.size).toBe(logsBefore.size);
    for (const [id, before] of logsBefore) {
      const after = logsAfter.get(id);
      expect(after).toBeDefined();
      for (const key of Object.keys(before)) expect([id, key, after?.[key]]).toEqual([id, key, before[key]]);
    }

    // Every call_events row survives; created_at of a webhook's event is now its inbox row's.
    const eventsAfter = await rowsById('call_events');
    expect(eventsAfter.size).toBe(eventsBefore.size);
    const logTime = new Map(linked.map((l) => [l.id, l.log_created_at]));
    for (const [id, before] of eventsBefore) {
      const after = eventsAfter.get(id) as Row;
      expect(after).toBeDefined();
      const expected = logTime.has(id) ? { ...before, created_at: logTime.get(id) } : before;
      for (const key of Object.keys(expected))
        expect([id, key, after[key]]).toEqual([id, key, expected[key]]);
    }

    // Rows sit in the partition of their month (UTC); nothing fell into the DEFAULT partitions.
    const { rows: misfiled } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_logs
        WHERE tableoid::regclass::text <> 'webhook_logs_p' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMM')`,
    );
    expect(misfiled[0].n).toBe(0);
    const { rows: edge } = await pool.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM webhook_logs
        WHERE created_at IN ('2026-06-30 23:59:59.999999+00', '2026-07-01 00:00:00+00') ORDER BY created_at`,
    );
    expect(edge.map((e) => e.part)).toEqual(['webhook_logs_p202606', 'webhook_logs_p202607']);
    const { rows: defaults } = await pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM webhook_logs_default) + (SELECT count(*) FROM call_events_default) AS n`,
    );
    expect(Number(defaults[0].n)).toBe(0);
    // Partitions exist ahead of today, for new rows.
    const { rows: ahead } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class
        WHERE relname IN ('webhook_logs_p' || to_char(now() AT TIME ZONE 'UTC' + interval '3 months', 'YYYYMM'),
                          'call_events_p' || to_char(now() AT TIME ZONE 'UTC' + interval '3 months', 'YYYYMM'))`,
    );
    expect(ahead[0].n).toBe(2);

    // Dedup keys moved: a redelivery of a migrated event is a duplicate of the migrated row.
    const withKey = [...logsBefore.values()].find((r) => r.dedup_key !== null) as Row;
    const inbox = new WebhookInboxRepository(pool);
    const redelivery = await inbox.insertMany([
      {
        id: randomUUID(),
        connectionId: conn,
        provider: 'ringba',
        eventType: 'call.completed',
        eventId: String(withKey.event_id),
        dedupKey: String(withKey.dedup_key),
        method: 'POST',
        contentType: 'application/json',
        query: {},
        headers: {},
        rawBody: Buffer.from('{}'),
        sourceIp: '127.0.0.1',
        verification: 'verified',
        status: 'queued',
        httpStatus: 202,
        error: null,
        receivedAt: new Date(),
      },
    ]);
    expect(redelivery.inserted.size).toBe(0);
    expect(redelivery.duplicates.get(String(withKey.dedup_key))).toBe(withKey.id);
    const { rows: keys } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_dedup_keys',
    );
    expect(keys[0].n).toBe([...logsBefore.values()].filter((r) => r.dedup_key !== null).length);

    // A redelivered job of a migrated, processed inbox row adds no second event.
    const processed = linked[0];
    const { rows: orig } = await pool.query<{
      webhook_log_id: string;
      occurred_at: Date;
      external_id: string;
    }>(
      `SELECT ce.webhook_log_id, ce.occurred_at, c.external_id FROM call_events ce JOIN calls c ON c.id = ce.call_id WHERE ce.id = $1`,
      [processed.id],
    );
    const store = new CallEventStore(pool);
    const again = toCallEventRow({
      connectionId: conn,
      provider: 'ringba',
      source: 'webhook',
      webhookLogId: orig[0].webhook_log_id,
      event: {
        type: 'call.completed',
        occurredAt: orig[0].occurred_at,
        call: { externalId: orig[0].external_id, providerData: {} },
      },
    });
    await store.store([again]);
    // Even when the anti-join cannot see it (the unique index on (webhook_log_id, created_at) holds).
    await pool.query(
      `INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, created_at)
       SELECT call_id, connection_id, webhook_log_id, source, event_type, occurred_at, created_at FROM call_events WHERE id = $1
       ON CONFLICT (webhook_log_id, created_at) DO NOTHING`,
      [processed.id],
    );
    const { rows: count } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM call_events WHERE webhook_log_id = $1',
      [orig[0].webhook_log_id],
    );
    expect(count[0].n).toBe(1);
  }, 60_000);
});
