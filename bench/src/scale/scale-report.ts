import type { LedgerCheck } from './event-ledger.js';
import type { PhaseFigures } from './phase-figures.js';
import type { RateLimitCheck } from './rate-limit-check.js';
import type { RedisFootprint, TableFootprint } from './storage-footprint.js';

/** What one configuration of `npm run bench:scale` measured. */
export interface ConfigResult {
  shape: string;
  startedAt: string;
  loadAverageAtStart: number;
  startupSeconds: number;
  /** CPU ms per second of each process with no load */
  idleMsPerSecond: { api: number[]; worker: number[] };
  steady: PhaseFigures;
  saturation: PhaseFigures;
  /** workers paused: the api processes alone */
  ingressOnly: PhaseFigures;
  /** the backlog that built up, stored by the workers alone */
  workersOnly: PhaseFigures & { drained: boolean; remaining: number };
  drainedAfterSaturation: boolean;
  bottleneck: string;
  rateLimit?: RateLimitCheck;
  redelivered: { sent: number; answeredDuplicate: number; acceptedTwice: number };
  /** answers other than 202, 200 duplicate and 429, and connection errors or timeouts (all phases) */
  http: { otherStatus: number; errors: number };
  check: LedgerCheck;
  redis?: RedisFootprint;
  crashed: string[];
}

const log = (line = '') => process.stdout.write(`${line}\n`);

/** What makes the run fail (exit 1). */
export function failuresOf(r: ConfigResult): string[] {
  const out: string[] = [];
  if (r.check.missing > 0) out.push(`${r.shape}: ${r.check.missing} acknowledged webhooks missing`);
  if (r.check.unprocessed > 0)
    out.push(`${r.shape}: ${r.check.unprocessed} acknowledged webhooks not processed`);
  if (r.check.failed > 0) out.push(`${r.shape}: ${r.check.failed} webhooks failed`);
  if (r.check.eventsStoredTwice > 0) out.push(`${r.shape}: ${r.check.eventsStoredTwice} events stored twice`);
  if (r.check.acceptedTwice > 0 || r.redelivered.acceptedTwice > 0)
    out.push(`${r.shape}: a redelivered event accepted twice`);
  if (r.rateLimit && !r.rateLimit.shared) out.push(`${r.shape}: rate limit not shared across api processes`);
  if (r.crashed.length > 0) out.push(`${r.shape}: a process died: ${r.crashed.join('\n')}`);
  return out;
}

export interface Ratio {
  shape: string;
  against: string;
  saturatedAccepted: number;
  saturatedStored: number;
  ingressAlone: number;
  workersAlone: number;
  steadyCostPerEvent: number;
}

export function ratiosAgainstFirst(results: ConfigResult[]): Ratio[] {
  const [first, ...rest] = results;
  if (!first) return [];
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  return rest.map((r) => ({
    shape: r.shape,
    against: first.shape,
    saturatedAccepted: ratio(r.saturation.acceptedPerSecond, first.saturation.acceptedPerSecond),
    saturatedStored: ratio(r.saturation.processedPerSecond, first.saturation.processedPerSecond),
    ingressAlone: ratio(r.ingressOnly.acceptedPerSecond, first.ingressOnly.acceptedPerSecond),
    workersAlone: ratio(r.workersOnly.processedPerSecond, first.workersOnly.processedPerSecond),
    steadyCostPerEvent: ratio(r.steady.usPerEvent.total, first.steady.usPerEvent.total),
  }));
}

export function printConfig(r: ConfigResult): void {
  const cost = (p: PhaseFigures) => {
    const u = p.usPerEvent;
    return (
      `CPU µs/event: api ${u.api}, worker ${u.worker}, PostgreSQL ${u.postgresIngress} (ingress) + ` +
      `${u.postgresPipeline} (pipeline) + ${u.postgresBackground} (background), Redis ${u.redis} = ${u.total}` +
      `${Number.isFinite(u.loadGenerator) ? `; load generator ${u.loadGenerator}/request` : ''}`
    );
  };
  const batches = (p: PhaseFigures) =>
    [
      Number.isFinite(p.rowsPerInsert) ? `webhooks/INSERT ${p.rowsPerInsert}` : '',
      Number.isFinite(p.eventsPerBatch) ? `events/worker transaction ${p.eventsPerBatch}` : '',
      `WAL ${p.walBytesPerEvent} B/event`,
      `PostgreSQL connections api ${p.postgresConnections.api}, worker ${p.postgresConnections.worker}`,
    ]
      .filter(Boolean)
      .join(', ');
  const cores = (p: PhaseFigures) =>
    `CPUs: api ${p.cores.api}, worker ${p.cores.worker}, PostgreSQL ${p.cores.postgres}, Redis ${p.cores.redis}, ` +
    `load generator ${p.cores.loadGenerator}, other databases ${p.cores.elsewhere}; machine idle ${Math.round(p.machineIdleShare * 100)}%`;
  log();
  log(
    `== ${r.shape} (${r.shape.split('+')[0]} api, ${r.shape.split('+')[1]} worker) started ${r.startedAt.slice(11, 19)} UTC, ` +
      `load average ${r.loadAverageAtStart}, processes up in ${r.startupSeconds.toFixed(1)} s; idle CPU ms/s: ` +
      `api ${r.idleMsPerSecond.api.join('/')}, worker ${r.idleMsPerSecond.worker.join('/')}`,
  );
  const s = r.steady;
  log(
    `steady ${s.offeredPerSecond}/s: accepted ${s.acceptedPerSecond}/s, stored ${s.processedPerSecond}/s, backlog ${signed(s.backlogGrowthPerSecond)}/s, ` +
      `HTTP p50/p99 ${s.httpP50Ms}/${s.httpP99Ms} ms, end to end p50/p99 ${s.endToEndP50Ms}/${s.endToEndP99Ms} ms`,
  );
  log(`  ${cost(s)}`);
  log(`  ${cores(s)}; ${batches(s)}`);
  const t = r.saturation;
  log(
    `saturated: accepted ${t.acceptedPerSecond}/s, stored ${t.processedPerSecond}/s, backlog ${signed(t.backlogGrowthPerSecond)}/s, ` +
      `HTTP p50/p99 ${t.httpP50Ms}/${t.httpP99Ms} ms, end to end p50/p99 ${t.endToEndP50Ms}/${t.endToEndP99Ms} ms`,
  );
  log(`  ${cost(t)}`);
  log(`  ${cores(t)}; ${batches(t)}`);
  log(`  bottleneck: ${r.bottleneck}`);
  const i = r.ingressOnly;
  log(
    `ingress alone (workers stopped): accepted ${i.acceptedPerSecond}/s, HTTP p50/p99 ${i.httpP50Ms}/${i.httpP99Ms} ms; ` +
      `api ${i.usPerEvent.api} + PostgreSQL ${i.usPerEvent.postgresIngress} + ${i.usPerEvent.postgresBackground} (background) + ` +
      `Redis ${i.usPerEvent.redis} µs/event; ${cores(i)}; ${batches(i)}`,
  );
  const d = r.workersOnly;
  log(
    `workers alone (draining the backlog): stored ${d.processedPerSecond}/s for ${d.seconds} s${d.drained ? '' : `, NOT drained (${d.remaining} left)`}; ` +
      `worker ${d.usPerEvent.worker} + PostgreSQL ${d.usPerEvent.postgresPipeline} + ${d.usPerEvent.postgresBackground} (background) + ` +
      `Redis ${d.usPerEvent.redis} µs/event; ${cores(d)}; ${batches(d)}`,
  );
  if (r.redis)
    log(
      `Redis bytes: waiting job ${r.redis.bytesPerWaitingJob} (${r.redis.waitingJobsSampled} sampled), completed job ` +
        `${r.redis.bytesPerCompletedJob}, cached call ${r.redis.bytesPerCachedCall}, ` +
        `live-stream entry ${r.redis.bytesPerStreamEntry}`,
    );
  const c = r.check;
  log(
    `checks: acknowledged ${c.acknowledged}, missing ${c.missing}, not processed ${c.unprocessed}, failed ${c.failed}, retried ${c.retried}, ` +
      `call_events ${c.callEvents} (stored twice ${c.eventsStoredTwice}), calls ${c.calls}; redeliveries through another ` +
      `api ${r.redelivered.sent}: answered duplicate ${r.redelivered.answeredDuplicate}, accepted twice ${r.redelivered.acceptedTwice + c.acceptedTwice}; ` +
      `other HTTP answers ${r.http.otherStatus}, connection errors/timeouts ${r.http.errors}`,
  );
  if (r.rateLimit) {
    const l = r.rateLimit;
    log(
      `rate limit ${l.limitPerSecond}/s on one connection, flooded through ${l.apiProcesses} api processes for ${l.seconds} s: ` +
        `admitted ${l.meanPerSecond}/s (busiest second ${l.busiestSecond}), 429 ${l.rateLimited} — ${l.shared ? 'shared' : 'NOT shared'}`,
    );
  }
  for (const crash of r.crashed) log(`PROCESS DIED: ${crash}`);
}

export function printSummary(
  ratios: Ratio[],
  tables: TableFootprint[],
  results: ConfigResult[],
  skipped: string[],
  runSeconds: number,
  runBudgetSeconds: number,
): void {
  log();
  log('== summary');
  log(
    'config | saturated accepted/s | stored/s | backlog/s | ingress alone /s | workers alone /s | steady µs/event (all) | e2e p50/p99 at steady',
  );
  for (const r of results) {
    log(
      `${r.shape.padEnd(6)} | ${String(r.saturation.acceptedPerSecond).padStart(20)} | ${String(r.saturation.processedPerSecond).padStart(8)} | ` +
        `${signed(r.saturation.backlogGrowthPerSecond).padStart(9)} | ${String(r.ingressOnly.acceptedPerSecond).padStart(16)} | ` +
        `${String(r.workersOnly.processedPerSecond).padStart(16)} | ${String(r.steady.usPerEvent.total).padStart(21)} | ` +
        `${r.steady.endToEndP50Ms}/${r.steady.endToEndP99Ms} ms`,
    );
  }
  for (const q of ratios) {
    log(
      `ratio ${q.shape} vs ${q.against}${q.shape === q.against ? ' (the same again: run-to-run drift)' : ''}: saturated accepted ${q.saturatedAccepted}, saturated stored ${q.saturatedStored}, ` +
        `ingress alone ${q.ingressAlone}, workers alone ${q.workersAlone}, CPU per event at the steady rate ${q.steadyCostPerEvent}`,
    );
  }
  log(
    `disk per row (last configuration): ${tables
      .map((t) => `${t.table} ${t.bytesPerRow} B (indexes ${t.indexBytesPerRow}) of ${t.rows} rows`)
      .join('; ')}`,
  );
  if (skipped.length) log(`skipped to stay within ${runBudgetSeconds} s: ${skipped.join(', ')}`);
  log(`run took ${runSeconds} s`);
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
