import { expectSound, verifyRun, type Scale, type ScenarioFigures } from '../support/checks.js';
import { callDeliveries, createConnection, sendAtRate } from '../support/load.js';
import type { AppProcess, Platform } from '../support/platform.js';

/**
 * Workers SIGKILLed again and again while webhooks arrive: jobs of a killed worker come back as
 * stalled and are processed once by another; nothing acknowledged is lost or stored twice.
 */
export async function workerSigkillUnderLoad(
  p: Platform,
  { durationS, ratePerSecond }: Scale,
): Promise<ScenarioFigures> {
  const connection = await createConnection(p, 'ringba');
  // Webhooks per call (its lifecycle), so the load is rate × duration webhooks.
  const perCall = callDeliveries(p, connection, 1).length;
  const deliveries = callDeliveries(p, connection, Math.ceil((durationS * ratePerSecond) / perCall));
  const victims: AppProcess[] = [p.startWorker(), p.startWorker()];
  let kills = 0;
  let sending = true;
  const everyMs = Math.max(2_000, (durationS * 1000) / 4);
  const chaos = (async () => {
    while (sending) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (!sending) break;
      const victim = victims.splice(Math.floor(Math.random() * victims.length), 1)[0];
      await p.kill(victim, 'SIGKILL');
      kills++;
      victims.push(p.startWorker());
    }
  })();
  const outcomes = await sendAtRate(deliveries, { ratePerSecond, redeliverEvery: 20 });
  sending = false;
  await chaos;
  const figures = await verifyRun(p, outcomes, {
    scenario: 'worker SIGKILL under load',
    load: `${deliveries.length} webhooks (${new Set(deliveries.map((d) => d.call.externalId)).size} Ringba calls) at ${ratePerSecond}/s, every 20th redelivered, 3 workers`,
    faults: `${kills} worker SIGKILLs (one every ${everyMs / 1000} s, a new worker started after each)`,
    faultEndedAt: Date.now(),
  });
  for (const victim of victims) await p.kill(victim, 'SIGTERM');
  expectSound(figures);
  expect(kills).toBeGreaterThan(0);
  return figures;
}
