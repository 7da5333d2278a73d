import pg from 'pg';
import { DatabasePool, WebhookLogRepository } from '@switchboard/persistence';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * The worker loads a batch's inbox rows by id. A month's partition has no statistics until
 * autovacuum first analyzes it, and without them PostgreSQL estimated "id = ANY(800 ids)" at most
 * of the partition and read all of it for every batch (bench:pipeline: 26–47 ms per batch of 800
 * at 100,000 rows, about a third of PostgreSQL's time per event). The load must use the primary key
 * whatever the statistics say.
 */
describe('loading a batch of inbox rows (real PostgreSQL, partition never analyzed)', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  const month = new Date().toISOString().slice(0, 7).replace('-', '');
  const partition = `webhook_logs_p${month}`;
  let ids: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    // No statistics for the whole test, as in a month's first minutes or a burst into a new partition.
    await sql.query(`ALTER TABLE ${partition} SET (autovacuum_enabled = false)`);
    // Ids from the INSERT itself: a query picking them would count as a scan of the partition.
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO webhook_logs (id, provider, method, verification, status, http_status, raw_body, created_at)
       SELECT gen_random_uuid(), 'ringba', 'POST', 'token:ok', 'queued', 202, convert_to(repeat('x', 600), 'UTF8'), now()
       FROM generate_series(1, 30000)
       RETURNING id`,
    );
    ids = rows.map((r) => r.id);
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  async function scans(): Promise<{ seq: number; idx: number }> {
    const { rows } = await sql.query<{ seq: string; idx: string }>(
      `SELECT seq_scan AS seq, COALESCE(idx_scan, 0) AS idx FROM pg_stat_user_tables WHERE relname = $1`,
      [partition],
    );
    return { seq: Number(rows[0].seq), idx: Number(rows[0].idx) };
  }

  it('reads 800 rows through the primary key, not the whole partition', async () => {
    const picked = ids.filter((_, i) => i % 37 === 0).slice(0, 800);
    const before = await scans();

    const pool = new DatabasePool(db.url, 1);
    const loaded = await new WebhookLogRepository(pool).loadForProcessing(picked);
    // A backend flushes its table statistics when it exits.
    await pool.end();

    expect(new Set(loaded.map((r) => r.id))).toEqual(new Set(picked));
    let after = await scans();
    for (let i = 0; i < 50 && after.idx === before.idx && after.seq === before.seq; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await scans();
    }
    expect(after.seq - before.seq).toBe(0);
    expect(after.idx - before.idx).toBeGreaterThan(0);
  });
});
