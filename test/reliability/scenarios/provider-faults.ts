import { createRingbaSimulator, type RingbaSimulator } from '../../simulators/src/ringba/index.js';
import { leakedSecrets, machine, recordFigures, type ScenarioFigures } from '../support/checks.js';
import type { Platform } from '../support/platform.js';
import { waitUntil } from '../support/services.js';

/**
 * A backfill through a provider that misbehaves all along: bursts of 5xx, 429 storms with
 * Retry-After, slow answers and malformed rows inside pages. The run still finishes, every good
 * call is stored once, malformed rows are skipped and counted, and the API token never shows.
 */
const DAY_MS = 86_400_000;

export async function providerFaultsDuringBackfill(
  p: Platform,
  historyCalls: number,
): Promise<ScenarioFigures> {
  const historyEnd = new Date(Date.now() - 60_000);
  const sim: RingbaSimulator = createRingbaSimulator({ seed: 61, historyCalls, historyEnd });
  await sim.start();
  try {
    return await backfillThroughFaults(p, sim, historyCalls, historyEnd);
  } finally {
    await sim.stop();
  }
}

async function backfillThroughFaults(
  p: Platform,
  sim: RingbaSimulator,
  historyCalls: number,
  historyEnd: Date,
): Promise<ScenarioFigures> {
  const created = await p.admin<{ connection: { id: string } }>('POST', '/connections', {
    provider: 'ringba',
    name: 'ringba faults',
    credentials: sim.credentials,
    settings: { apiBaseUrl: sim.baseUrl, sync: { batchSize: 10 } },
    validate: false,
  });
  p.secrets.more.push(sim.credentials.apiToken);
  const connectionId = created.connection.id;
  const run = await p.admin<{ id: string }>('POST', `/connections/${connectionId}/backfills`, {
    from: new Date(historyEnd.getTime() - 3 * DAY_MS).toISOString(),
    to: historyEnd.toISOString(),
  });
  let state = 'queued';
  let faults = 0;
  let malformed = 0;
  const kinds = new Set<string>();
  const chaos = (async () => {
    const menu = [
      () => (kinds.add('5xx burst'), sim.injectFaults({ latencyMs: 0, serverErrors: 2 })),
      () => (
        kinds.add('429 storm'),
        sim.injectFaults({ latencyMs: 0, rateLimited: 3, retryAfterSeconds: 1 })
      ),
      () => (kinds.add('slow answers'), sim.injectFaults({ latencyMs: 300 })),
      () => {
        kinds.add('malformed rows');
        malformed += 1;
        sim.injectFaults({ latencyMs: 0, malformedRows: 1 });
      },
    ];
    // Bursts while the run goes (a run whose chunk fails is retried by its job and resumes).
    while (faults < 8 && state !== 'succeeded') {
      menu[faults % menu.length]();
      faults++;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    sim.injectFaults({ latencyMs: 0 });
  })();
  const started = Date.now();
  let report: Record<string, unknown> = {};
  await waitUntil(
    async () => {
      report = await p.admin<Record<string, unknown>>('GET', `/backfills/${run.id}`);
      state = String(report.state);
      // `failed` between attempts is not final: the job retries it (5 attempts, backoff).
      return (
        state === 'succeeded' || (state !== 'running' && state !== 'queued' && Number(report.attempts) >= 5)
      );
    },
    150_000,
    'the backfill to finish',
  );
  await chaos;
  const calls = report.calls as { seen: number; created: number; skipped: number };
  const stored = await p.count('SELECT count(*) FROM calls WHERE connection_id = $1', [connectionId]);
  const distinct = await p.count('SELECT count(DISTINCT external_id) FROM calls WHERE connection_id = $1', [
    connectionId,
  ]);
  const leaks = leakedSecrets(p.logs() + JSON.stringify(report), p.secrets);
  const figures: ScenarioFigures = {
    scenario: 'provider faults during a backfill',
    date: new Date().toISOString(),
    machine: machine(),
    load: `backfill of 3 days, ${historyCalls} simulated Ringba calls, pages of 10`,
    faults: `${faults} faults injected every 2 s at the start of the run: ${[...kinds].join(', ')}`,
    acknowledged: historyCalls,
    stored,
    processed: calls.created,
    duplicateAnswers: 0,
    duplicateCalls: stored - distinct,
    duplicateEvents: 0,
    leaks,
    recoverySeconds: Math.round((Date.now() - started) / 100) / 10,
    notes: `run ${state}${report.error ? ` (${String(report.error)})` : ''}; seen ${calls.seen}, created ${calls.created}, skipped ${calls.skipped} (malformed rows injected: ${malformed}); "acknowledged" = calls the provider holds, "stored" = calls rows`,
  };
  recordFigures(figures);
  expect(state).toBe('succeeded');
  expect(stored).toBe(distinct);
  expect(calls.skipped).toBeLessThanOrEqual(malformed);
  expect(stored + calls.skipped).toBeGreaterThanOrEqual(historyCalls);
  expect(leaks).toEqual([]);
  return figures;
}
