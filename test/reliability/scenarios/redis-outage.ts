import { expectSound, verifyRun, type Scale, type ScenarioFigures } from '../support/checks.js';
import { callDeliveries, createConnection, sendAtRate } from '../support/load.js';
import type { Platform } from '../support/platform.js';

/**
 * Redis crashes (SIGKILL) in the middle of the load and comes back a few seconds later, with its
 * data (append-only file, fsync always) or without (an empty server: every queued job is gone).
 * The API keeps accepting into PostgreSQL; the worker's relay and reconcile re-add what Redis lost.
 * Only Redis is restarted.
 */
export async function redisOutage(
  p: Platform,
  { durationS, ratePerSecond }: Scale,
  lost: boolean,
): Promise<ScenarioFigures> {
  const connection = await createConnection(p, 'retreaver');
  // Webhooks per call (its lifecycle), so the load is rate × duration webhooks.
  const perCall = callDeliveries(p, connection, 1).length;
  const deliveries = callDeliveries(p, connection, Math.ceil((durationS * ratePerSecond) / perCall));
  const downMs = 3_000;
  const sending = sendAtRate(deliveries, { ratePerSecond, redeliverEvery: 20 });
  await new Promise((resolve) => setTimeout(resolve, (durationS * 1000) / 3));
  await p.redis.kill();
  if (lost) p.redis.wipe();
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await p.redis.up();
  const faultEndedAt = Date.now();
  const outcomes = await sending;
  const figures = await verifyRun(p, outcomes, {
    scenario: lost ? 'Redis crash, data lost (restarted empty)' : 'Redis crash, data kept (append-only file)',
    load: `${deliveries.length} webhooks (${new Set(deliveries.map((d) => d.call.externalId)).size} Retreaver calls) at ${ratePerSecond}/s, every 20th redelivered`,
    faults: `redis-server SIGKILLed a third into the load, down ${downMs / 1000} s, restarted ${lost ? 'with no data' : 'from its append-only file'}`,
    faultEndedAt,
    recoveryTimeoutMs: 150_000,
  });
  expectSound(figures);
  return figures;
}
