import pg from 'pg';
import { CALL_STORE_SQL } from '@switchboard/pipeline';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * The redelivery check of CALL_STORE_SQL must stay a probe per event. With a call_events partition
 * of a few thousand rows (every month starts with one) PostgreSQL preferred hashing the whole
 * partition for every batch, and the prepared statement kept that plan while the partition grew:
 * in bench:pipeline PostgreSQL's CPU per event grew with the table.
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

  it('probes call_events per event, never hashes the partition', async () => {
    // Rows without their calls (foreign keys off for this session): only their number matters.
    await sql.query(`SET session_replication_role = replica`);
    await sql.query(
      `INSERT INTO call_events (call_id, connection_id, webhook_log_id, source, event_type, occurred_at, created_at)
       SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'webhook', 'call.started', now(), now()
       FROM generate_series(1, 5000)`,
    );
    await sql.query(`SET session_replication_role = DEFAULT`);
    await sql.query('ANALYZE call_events');
    await sql.query(`PREPARE store(jsonb, jsonb) AS ${CALL_STORE_SQL}`);
    await sql.query(`SET plan_cache_mode = force_generic_plan`);
    const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE store('[]', '[]')`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Only Scan using call_events_\w+_webhook_log_id_created_at_idx/);
    expect(plan).not.toMatch(/hashed SubPlan/);
  });
});
