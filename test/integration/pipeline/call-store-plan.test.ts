import pg from 'pg';
import { CALL_STORE_SQL } from '@switchboard/pipeline';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * CALL_STORE_SQL must find each event's call_events and webhook_logs rows by index. With partitions
 * of a few thousand rows (every month starts with one) PostgreSQL preferred hashing a whole
 * partition for every batch (the redelivery check, the inbox update), and the prepared statement
 * kept that plan while the partition grew: in bench:pipeline and bench:scale PostgreSQL's CPU per
 * event grew with the table.
 */
describe('call store statement plan (real PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  it('probes call_events and webhook_logs per event, never hashes a partition', async () => {
    // Rows without their calls (foreign keys off for this session): only their number matters.
    await sql.query(`SET session_replication_role = replica`);
    await sql.query(
      `INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, created_at)
       SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'webhook', 'call.started', now(), now()
       FROM generate_series(1, 5000)`,
    );
    await sql.query(
      `INSERT INTO webhook_logs (id, provider, method, verification, status, http_status, created_at)
       SELECT gen_random_uuid(), 'ringba', 'GET', 'token:ok', 'processed', 202, now()
       FROM generate_series(1, 5000)`,
    );
    await sql.query(`SET session_replication_role = DEFAULT`);
    await sql.query('ANALYZE call_events');
    await sql.query('ANALYZE webhook_logs');
    await sql.query(`PREPARE store(jsonb, jsonb) AS ${CALL_STORE_SQL}`);
    await sql.query(`SET plan_cache_mode = force_generic_plan`);
    const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE store('[]', '[]')`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Only Scan using call_events_\w+_webhook_log_id_created_at_idx/);
    expect(plan).toMatch(/Index Scan using webhook_logs_\w+_pkey/);
    expect(plan).not.toMatch(/hashed SubPlan/);
    // The month's partitions hold the rows (empty ones may be scanned: nothing to read).
    const month = new Date().toISOString().slice(0, 7).replace('-', '');
    expect(plan).not.toMatch(new RegExp(`Seq Scan on (webhook_logs|call_events)_p${month}`));
  });
});
