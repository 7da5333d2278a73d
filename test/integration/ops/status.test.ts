import { randomUUID } from 'node:crypto';
import { collectStatus, printStatus } from '../../../apps/cli/src/commands/status.command.js';
import { IngressHarness, webhookUrl, type TestConnection } from '../ingress/ingress-harness.js';

/** `switchboard status`: what it reads, on a real database and Redis. */
describe('switchboard status (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let c: TestConnection;

  beforeAll(async () => {
    h = await IngressHarness.start();
    c = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('reports connections with their sync state, queue depths, lag and recent failures', async () => {
    const send = (callId: string) =>
      h.inject({
        method: 'GET',
        url: webhookUrl('ringba', c.id, { token: c.secret, event: 'completed', call_id: callId }),
      });
    const queued = (await send(`RGB-${randomUUID()}`)).json().id as string;
    const failed = (await send(`RGB-${randomUUID()}`)).json().id as string;
    await h.sql.query(`UPDATE webhook_logs SET created_at = now() - interval '90 seconds' WHERE id = $1`, [
      queued,
    ]);
    await h.sql.query(
      `UPDATE webhook_logs SET status = 'failed', error = 'mapping failed: no call id' WHERE id = $1`,
      [failed],
    );
    await h.sql.query(
      `INSERT INTO sync_status (connection_id, provider, kind, state, last_successful_sync_at, error, consecutive_failures)
       VALUES ($1, 'ringba', 'incremental', 'failed', now() - interval '1 hour', 'provider answered 500', 3)`,
      [c.id],
    );

    const report = await collectStatus(h.app);
    expect(report.connections).toEqual([
      expect.objectContaining({
        id: c.id,
        provider: 'ringba',
        mode: 'live',
        active: true,
        secretsReadable: true,
        syncState: 'failed',
        syncFailures: 3,
        syncError: 'provider answered 500',
      }),
    ]);
    expect(report.connections[0].syncLagSeconds).toBeGreaterThanOrEqual(3_590);
    const webhooks = report.queues.find((q) => q.queue === 'webhooks');
    expect(webhooks?.waiting).toBeGreaterThanOrEqual(2);
    expect(report.queues.map((q) => q.queue).sort()).toEqual(['maintenance', 'sync', 'webhooks']);
    expect(report.inbox).toMatchObject({ received: 0, jobMissing: 0 });
    expect(report.inbox.oldestQueuedSeconds).toBeGreaterThanOrEqual(89);
    expect(report.recentFailures).toEqual([
      expect.objectContaining({
        id: failed,
        provider: 'ringba',
        connectionId: c.id,
        error: 'mapping failed: no call id',
      }),
    ]);
    expect(JSON.stringify(report)).not.toContain(c.secret);

    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => printed.push(chunk) > 0) as typeof process.stdout.write;
    try {
      printStatus(report);
    } finally {
      process.stdout.write = write;
    }
    const screen = printed.join('');
    expect(screen).toMatch(/CONNECTIONS \(1\)/);
    expect(screen).toContain(c.id);
    expect(screen).toMatch(/ringba .* live +yes +ok +failed +60 min +3/);
    expect(screen).toMatch(/^webhooks +[2-9]/m);
    expect(screen).toMatch(/processing lag (89|9\d) s/);
    expect(screen).toContain('mapping failed: no call id');
  });
});
