import fc from 'fast-check';
import { ConnectionAdapters } from '@switchboard/connections';
import {
  comparableReference,
  comparableRow,
  referenceFold,
  toCallEventRow,
  type CallEventRow,
} from '@switchboard/pipeline';
import { toInbound, type RenderedWebhook } from '../../../bench/src/pipeline/webhook-fixtures.js';
import { PipelineHarness, type TestConnection } from './pipeline-harness.js';

/**
 * Out-of-order and repeated deliveries of real plugin payloads, processed by several workers at
 * once, end in exactly the calls the in-order sequence gives.
 */
describe('order-safety with racing workers (real plugins, PostgreSQL, Redis)', () => {
  let h: PipelineHarness;
  const connections: TestConnection[] = [];

  beforeAll(async () => {
    // Three workers with small batches: events of one call land in different batches of
    // different workers and meet in PostgreSQL at the same moment.
    h = await PipelineHarness.start({ workers: 3, env: { WORKER_BATCH_SIZE: '3', WORKER_CONCURRENCY: '8' } });
    for (const provider of ['ringba', 'retreaver', 'trackdrive'])
      connections.push(await h.createConnection(provider));
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  /** What the in-order sequence gives: every webhook mapped by its plugin, folded oldest first. */
  async function expected(connection: TestConnection, webhooks: RenderedWebhook[]) {
    const { adapter } = await h.app.get(ConnectionAdapters).forId(connection.id);
    const rows: CallEventRow[] = [...webhooks]
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
      .map((w) =>
        toCallEventRow({
          connectionId: connection.id,
          provider: connection.provider,
          source: 'webhook',
          event: adapter.mapWebhook(toInbound(w)),
        }),
      );
    return Object.fromEntries(
      [...referenceFold(rows).values()].map((c) => [c.externalId, comparableReference(c)]),
    );
  }

  async function actual(connection: TestConnection) {
    return Object.fromEntries(
      (await h.calls(connection.id)).map((r) => [r.external_id, comparableRow(r as never)]),
    );
  }

  it('gives the in-order result for random permutations with repeated deliveries', async () => {
    let day = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (callsPerConnection, seed, repeats) => {
          day++;
          for (const connection of connections) {
            const start = Date.parse('2026-10-01T08:00:00.000Z') + day * 86_400_000;
            const { webhooks } = await h.lifecycle(connection, callsPerConnection, start);
            const delivered = [...webhooks, ...repeats.map((i) => webhooks[i % webhooks.length])];
            const scrambled = shuffle(delivered, seed);
            await h.accept(connection, scrambled);
            await h.drained();
            const want = await expected(connection, webhooks);
            const got = await actual(connection);
            for (const [externalId, call] of Object.entries(want)) expect(got[externalId]).toEqual(call);
          }
        },
      ),
      { numRuns: 6 },
    );
    const failed = await h.count(`SELECT count(*) FROM webhook_logs WHERE status <> 'processed'`);
    expect(failed).toBe(0);
  }, 120_000);

  it('lets many workers update the same call at the same moment without losing or corrupting anything', async () => {
    const connection = connections[0];
    const { calls, webhooks } = await h.lifecycle(connection, 1, Date.parse('2026-12-24T08:00:00.000Z'));
    // Every event of the call eight times over, as separate deliveries, in random order.
    const deliveries = shuffle(Array.from({ length: 8 }, () => webhooks).flat(), 42);
    const ids = await h.accept(connection, deliveries);
    await h.drained();
    const got = await actual(connection);
    expect(got[calls[0].externalId]).toEqual((await expected(connection, webhooks))[calls[0].externalId]);
    const statuses = await h.sql.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM webhook_logs WHERE id = ANY($1::uuid[]) GROUP BY status',
      [ids],
    );
    expect(statuses.rows).toEqual([{ status: 'processed', n: String(ids.length) }]);
    expect(
      await h.count('SELECT count(*) FROM call_events WHERE webhook_log_id = ANY($1::uuid[])', [ids]),
    ).toBe(ids.length);
    expect(await h.count('SELECT count(*) FROM calls WHERE external_id = $1', [calls[0].externalId])).toBe(1);
  }, 60_000);
});

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 7;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
