import { expectSound, verifyRun, type Scale, type ScenarioFigures } from '../support/checks.js';
import { callDeliveries, createConnection, sendAtRate } from '../support/load.js';
import type { Platform } from '../support/platform.js';

/**
 * PostgreSQL "crashes" in the middle of the load: every connection to it is reset and new ones are
 * refused for a few seconds (the TCP proxy in front of it is cut), then it is back. The API answers
 * 503 while it cannot store (the provider retries), the worker retries its batches; nothing
 * acknowledged is lost, nothing is restarted.
 */
export async function postgresCrash(
  p: Platform,
  { durationS, ratePerSecond }: Scale,
): Promise<ScenarioFigures> {
  const connection = await createConnection(p, 'ringba');
  // Webhooks per call (its lifecycle), so the load is rate × duration webhooks.
  const perCall = callDeliveries(p, connection, 1).length;
  const deliveries = callDeliveries(p, connection, Math.ceil((durationS * ratePerSecond) / perCall));
  const downMs = 4_000;
  const logBefore = p.logs().length;
  const sending = sendAtRate(deliveries, { ratePerSecond, redeliverEvery: 20, retryDelayMs: 1_000 });
  await new Promise((resolve) => setTimeout(resolve, (durationS * 1000) / 3));
  await p.proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await p.proxy.restore();
  const faultEndedAt = Date.now();
  const outcomes = await sending;
  const refused = outcomes.filter((o) => o.status >= 500 || o.status === 0).length;
  const errorLines = p
    .logs()
    .slice(logBefore)
    .split('\n')
    .filter((line) => /"level":(50|60)|"level":"(error|fatal)"/.test(line)).length;
  const figures = await verifyRun(p, outcomes, {
    scenario: 'PostgreSQL crash under load',
    load: `${deliveries.length} webhooks (${new Set(deliveries.map((d) => d.call.externalId)).size} Ringba calls) at ${ratePerSecond}/s, every 20th redelivered`,
    faults: `all PostgreSQL connections reset and refused for ${downMs / 1000} s a third into the load`,
    faultEndedAt,
    recoveryTimeoutMs: 120_000,
    notes: `${refused} answers were 503 (not acknowledged; the sender retried them); ${errorLines} error-level log lines during the scenario`,
  });
  expectSound(figures);
  return figures;
}
