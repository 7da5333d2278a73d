import { callDeliveries, createConnection, sendAtRate } from '../support/load.js';
import { leakedSecrets, machine, recordFigures, type ScenarioFigures } from '../support/checks.js';
import type { Platform } from '../support/platform.js';
import { waitUntil } from '../support/services.js';

/**
 * Secret hygiene over everything an operator or a provider can read back: every log line of the
 * API and the worker, webhook answers (good and bad tokens), and the admin API's reads of
 * connections, webhook logs (headers and query of the stored requests), calls, health and metrics.
 * The only answers allowed to carry a secret are the two that exist to hand it over once
 * (POST /connections, GET /connections/:id/webhook-templates), which are not read here.
 */

export async function secretHygiene(p: Platform): Promise<ScenarioFigures> {
  const ringba = await createConnection(p, 'ringba');
  const retreaver = await createConnection(p, 'retreaver');
  const deliveries = [...callDeliveries(p, ringba, 5), ...callDeliveries(p, retreaver, 5)];
  const outcomes = await sendAtRate(deliveries, { ratePerSecond: 40, redeliverEvery: 3 });
  // Wrong and missing tokens, a secret in a header the provider did not need to send.
  const probes = await Promise.all(
    deliveries.slice(0, 6).map(async (d, i) => {
      const url = new URL(d.url);
      if (i % 2 === 0) url.searchParams.set('token', 'wrong-token-value-123');
      else url.searchParams.delete('token');
      const res = await fetch(url, {
        method: d.method,
        headers: {
          ...d.headers,
          authorization: `Bearer ${p.secrets.adminToken}`,
          'x-api-key': p.secrets.more[0],
        },
        body: d.body,
      });
      return res.text();
    }),
  );
  await waitUntil(
    async () =>
      (await p.count(`SELECT count(*) FROM webhook_logs WHERE status IN ('received', 'queued')`)) === 0,
    60_000,
    'the worker to finish',
  );
  const ids = outcomes.filter((o) => o.id).map((o) => o.id as string);
  const reads: string[] = [];
  const read = async (url: string) => {
    const res = await fetch(`${p.apiBase}${url}`, {
      headers: { authorization: `Bearer ${p.secrets.adminToken}` },
    });
    reads.push(`${url} ${res.status} ${await res.text()}`);
  };
  for (const url of [
    '/connections',
    `/connections/${ringba.id}`,
    `/connections/${retreaver.id}`,
    '/webhook-logs?limit=200',
    ...ids.slice(0, 10).map((id) => `/webhook-logs/${id}`),
    '/calls?limit=100',
    '/health/ready',
    '/metrics',
    `/connections/${ringba.id}/sync`,
  ])
    await read(url);
  const text = [p.logs(), ...outcomes.map((o) => o.body), ...probes, ...reads].join('\n');
  const leaks = leakedSecrets(text, p.secrets);
  const figures: ScenarioFigures = {
    scenario: 'secret hygiene',
    date: new Date().toISOString(),
    machine: machine(),
    load: `${deliveries.length} webhooks of 2 connections (every 3rd redelivered), 6 with wrong/missing tokens and secrets in headers, ${reads.length} admin reads, request logs on`,
    faults: 'none (inputs chosen to make secrets show)',
    acknowledged: new Set(outcomes.filter((o) => o.status === 202).map((o) => o.id)).size,
    stored: await p.count('SELECT count(*) FROM webhook_logs WHERE id = ANY($1::uuid[])', [ids]),
    processed: await p.count(
      `SELECT count(*) FROM webhook_logs WHERE id = ANY($1::uuid[]) AND status = 'processed'`,
      [ids],
    ),
    duplicateAnswers: outcomes.filter((o) => o.status === 200).length,
    duplicateCalls: 0,
    duplicateEvents: 0,
    leaks,
    recoverySeconds: 0,
    notes: `${text.length.toLocaleString('en')} characters of logs and responses searched for ${4 + p.secrets.more.length} secrets (raw and URL-encoded)`,
  };
  recordFigures(figures);
  expect(reads.every((r) => !/ 5\d\d /.test(r.slice(0, 80)))).toBe(true);
  expect(leaks).toEqual([]);
  return figures;
}
