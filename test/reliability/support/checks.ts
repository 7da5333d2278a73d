import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Outcome } from './load.js';
import type { Platform, RunSecrets } from './platform.js';
import { waitUntil } from './services.js';

/** The figures of one scenario run, as test/reliability/RESULTS.md reports them. */
export interface ScenarioFigures {
  scenario: string;
  date: string;
  machine: string;
  load: string;
  faults: string;
  /** Deliveries answered 202 (distinct inbox ids). */
  acknowledged: number;
  /** Of those, rows in webhook_logs. */
  stored: number;
  /** Of those, rows processed into calls. */
  processed: number;
  /** Redeliveries answered 200 duplicate. */
  duplicateAnswers: number;
  /** Calls stored more than once / events recorded more than once. */
  duplicateCalls: number;
  duplicateEvents: number;
  /** Secrets found in logs or responses (names only). */
  leaks: string[];
  /** Seconds from the end of the fault until every acknowledged webhook was processed. */
  recoverySeconds: number;
  notes?: string;
}

export function machine(): string {
  const cpus = os.cpus();
  return `${os.hostname()}: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** The secrets of a run, by name, that appear in `text`. */
export function leakedSecrets(text: string, secrets: RunSecrets): string[] {
  const named: Array<[string, string]> = [
    ['ENCRYPTION_KEYS key', secrets.encryptionKey],
    ['ADMIN_TOKEN', secrets.adminToken],
    ['database password', secrets.databasePassword],
    ['Redis password', secrets.redisPassword],
    ...secrets.more.map((s, i): [string, string] => [`connection secret #${i + 1}`, s]),
  ];
  return named
    .filter(([, value]) => value.length >= 8)
    .filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value)))
    .map(([name]) => name);
}

/**
 * What every scenario asserts: every acknowledged webhook is stored and, once the fault is over,
 * processed without restarting anything; no call and no event is stored twice; no secret in any
 * log line or response. Returns the figures for RESULTS.md.
 */
export async function verifyRun(
  platform: Platform,
  outcomes: readonly Outcome[],
  options: {
    scenario: string;
    load: string;
    faults: string;
    faultEndedAt: number;
    recoveryTimeoutMs?: number;
    notes?: string;
  },
): Promise<ScenarioFigures> {
  const acked = [...new Set(outcomes.filter((o) => o.status === 202 && o.id).map((o) => o.id as string))];
  const ackedCalls = new Set(outcomes.filter((o) => o.status === 202).map((o) => o.delivery.call.externalId));
  const stored = await platform.count('SELECT count(*) FROM webhook_logs WHERE id = ANY($1::uuid[])', [
    acked,
  ]);
  const processedCount = () =>
    platform.count(`SELECT count(*) FROM webhook_logs WHERE id = ANY($1::uuid[]) AND status = 'processed'`, [
      acked,
    ]);
  await waitUntil(
    async () => (await processedCount()) === acked.length,
    options.recoveryTimeoutMs ?? 90_000,
    `every acknowledged webhook processed (${acked.length} acknowledged)`,
  ).catch(() => undefined);
  const recoverySeconds = Math.max(0, (Date.now() - options.faultEndedAt) / 1000);
  const processed = await processedCount();
  const connections = [
    ...new Set(
      (
        await platform.sql.query<{ connection_id: string }>(
          'SELECT DISTINCT connection_id FROM webhook_logs WHERE id = ANY($1::uuid[])',
          [acked],
        )
      ).rows.map((r) => r.connection_id),
    ),
  ];
  const callRows = await platform.sql.query<{ external_id: string; n: string }>(
    'SELECT external_id, count(*) AS n FROM calls WHERE connection_id = ANY($1::uuid[]) GROUP BY external_id',
    [connections],
  );
  const duplicateCalls =
    callRows.rows.reduce((sum, r) => sum + Number(r.n) - 1, 0) +
    Math.max(0, callRows.rows.length - ackedCalls.size);
  const duplicateEvents = await platform.count(
    'SELECT count(*) - count(DISTINCT webhook_log_id) FROM call_events WHERE connection_id = ANY($1::uuid[]) AND webhook_log_id IS NOT NULL',
    [connections],
  );
  const text = platform.logs() + outcomes.map((o) => o.body).join('\n');
  const figures: ScenarioFigures = {
    scenario: options.scenario,
    date: new Date().toISOString(),
    machine: machine(),
    load: options.load,
    faults: options.faults,
    acknowledged: acked.length,
    stored,
    processed,
    duplicateAnswers: outcomes.filter((o) => o.status === 200).length,
    duplicateCalls,
    duplicateEvents,
    leaks: leakedSecrets(text, platform.secrets),
    recoverySeconds: Math.round(recoverySeconds * 10) / 10,
    notes: options.notes,
  };
  recordFigures(figures);
  return figures;
}

/** Appends the figures to test/reliability/out/results.jsonl (RESULTS.md is written from it). */
export function recordFigures(figures: ScenarioFigures): void {
  const dir = path.join(new URL('../../..', import.meta.url).pathname, 'test/reliability/out');
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, 'results.jsonl'), `${JSON.stringify(figures)}\n`);
}

/** What every scenario expects of its figures. */
export function expectSound(figures: ScenarioFigures): void {
  expect({
    stored: figures.stored,
    processed: figures.processed,
    duplicateCalls: figures.duplicateCalls,
    duplicateEvents: figures.duplicateEvents,
    leaks: figures.leaks,
  }).toEqual({
    stored: figures.acknowledged,
    processed: figures.acknowledged,
    duplicateCalls: 0,
    duplicateEvents: 0,
    leaks: [],
  });
  expect(figures.acknowledged).toBeGreaterThan(0);
}

/** How much load each scenario gets. */
export interface Scale {
  durationS: number;
  ratePerSecond: number;
  fuzzRuns: number;
  historyCalls: number;
}

/**
 * Scale of a run: bounded in `npm test` (seconds of load per scenario), longer with
 * RELIABILITY_SCALE=long (`npm run test:reliability`); each figure can be set on its own.
 */
export function scale(): Scale {
  const long = process.env.RELIABILITY_SCALE === 'long';
  const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return {
    durationS: number('RELIABILITY_DURATION_S', long ? 60 : 4),
    ratePerSecond: number('RELIABILITY_RATE', long ? 200 : 40),
    fuzzRuns: number('RELIABILITY_FUZZ_RUNS', long ? 2_000 : 60),
    historyCalls: number('RELIABILITY_HISTORY_CALLS', long ? 2_000 : 60),
  };
}
