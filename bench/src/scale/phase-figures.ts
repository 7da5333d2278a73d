import type { ComponentCpu } from './component-cpu.js';
import type { EventWindow } from './event-ledger.js';
import type { LoadOutcome } from './webhook-load.js';

/** Per-component CPU, in µs per event; the basis of the capacity model. */
export interface CostPerEvent {
  /** api processes, per accepted webhook */
  api: number;
  /** worker processes, per stored event */
  worker: number;
  /** PostgreSQL backends of the api processes (inbox INSERT, dedup key), per accepted webhook */
  postgresIngress: number;
  /** PostgreSQL backends of the workers (call upsert, call_events, inbox update), per stored event */
  postgresPipeline: number;
  /** PostgreSQL's own processes (WAL writer, checkpointer, autovacuum), per event */
  postgresBackground: number;
  /** the Redis server, per event (queue in and out, rate limit, call cache, live stream) */
  redis: number;
  /** all of it except the load generator */
  total: number;
  /** autocannon and signing in the bench process, per request answered (not part of the system) */
  loadGenerator: number;
}

export interface PhaseFigures {
  seconds: number;
  offeredPerSecond?: number;
  acceptedPerSecond: number;
  processedPerSecond: number;
  /** growth of the acknowledged-but-not-stored backlog, per second */
  backlogGrowthPerSecond: number;
  httpP50Ms: number;
  httpP99Ms: number;
  endToEndP50Ms: number;
  endToEndP99Ms: number;
  machineIdleShare: number;
  rowsPerInsert: number;
  eventsPerBatch: number;
  /** CPUs in use on average, by component */
  cores: {
    api: number;
    worker: number;
    postgres: number;
    redis: number;
    loadGenerator: number;
    /** other databases' backends on the same server: load that is not ours */
    elsewhere: number;
  };
  /** PostgreSQL write-ahead log per event (what a replica and the WAL archive receive) */
  walBytesPerEvent: number;
  /** backends open to the bench database at the end of the phase, by client */
  postgresConnections: { api: number; worker: number };
  /** the single busiest api or worker process, in CPUs */
  busiestProcess: { name: string; cores: number };
  usPerEvent: CostPerEvent;
}

export function phaseFigures(options: {
  window: EventWindow;
  cpu: ComponentCpu;
  load?: LoadOutcome;
  offeredPerSecond?: number;
}): PhaseFigures {
  const { window: w, cpu, load } = options;
  const seconds = cpu.wallMs / 1000;
  const per = (ms: number, events: number) => (events > 0 ? Math.round((ms * 1000) / events) : NaN);
  // Redis, PostgreSQL's own processes and the WAL serve both sides: charge them to the events of
  // the busier side (both counts are equal when nothing piles up; one is 0 when a side is stopped).
  const moved = Math.max(w.accepted, w.processed);
  const usPerEvent = {
    api: per(cpu.api, w.accepted),
    worker: per(cpu.worker, w.processed),
    postgresIngress: per(cpu.postgresForApi, w.accepted),
    postgresPipeline: per(cpu.postgresForWorker, w.processed),
    postgresBackground: per(cpu.postgresBackground, moved),
    redis: per(cpu.redis, moved),
    total: 0,
    loadGenerator: load ? per(cpu.loadGenerator, load.sent) : NaN,
  };
  usPerEvent.total = [
    usPerEvent.api,
    usPerEvent.worker,
    usPerEvent.postgresIngress,
    usPerEvent.postgresPipeline,
    usPerEvent.postgresBackground,
    usPerEvent.redis,
  ].reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const cores = (ms: number) => Number((ms / cpu.wallMs).toFixed(2));
  const processes = [
    ...cpu.perApi.map((ms, i) => ({ name: `api-${i + 1}`, cores: cores(ms) })),
    ...cpu.perWorker.map((ms, i) => ({ name: `worker-${i + 1}`, cores: cores(ms) })),
  ].sort((a, b) => b.cores - a.cores);
  return {
    seconds: Number(seconds.toFixed(1)),
    offeredPerSecond: options.offeredPerSecond,
    acceptedPerSecond: Math.round(w.accepted / seconds),
    processedPerSecond: Math.round(w.processed / seconds),
    backlogGrowthPerSecond: Math.round((w.backlogAtEnd - w.backlogAtStart) / seconds),
    httpP50Ms: load?.httpP50Ms ?? NaN,
    httpP99Ms: load?.httpP99Ms ?? NaN,
    endToEndP50Ms: w.endToEndP50Ms,
    endToEndP99Ms: w.endToEndP99Ms,
    machineIdleShare: Number(cpu.machineIdleShare.toFixed(2)),
    rowsPerInsert: w.rowsPerInsert,
    eventsPerBatch: w.eventsPerBatch,
    cores: {
      api: cores(cpu.api),
      worker: cores(cpu.worker),
      postgres: cores(cpu.postgresForApi + cpu.postgresForWorker + cpu.postgresBackground),
      redis: cores(cpu.redis),
      loadGenerator: cores(cpu.loadGenerator),
      elsewhere: cores(cpu.postgresOtherDatabases),
    },
    walBytesPerEvent: moved > 0 ? Math.round(cpu.walBytes / moved) : NaN,
    postgresConnections: cpu.postgresConnections,
    busiestProcess: processes[0] ?? { name: '-', cores: 0 },
    usPerEvent,
  };
}

/**
 * Names what limits a configuration: under saturation, whether storing falls behind taking in;
 * each side's rate on its own (the other side stopped); and what the machine is short of — all
 * its CPUs busy, or one process at a whole CPU (a Node event loop cannot use more).
 */
export function bottleneck(
  phases: { saturation: PhaseFigures; ingressOnly: PhaseFigures; workersOnly: PhaseFigures },
  cpus: number,
): string {
  const { saturation, ingressOnly, workersOnly } = phases;
  const side =
    saturation.processedPerSecond < 0.9 * saturation.acceptedPerSecond
      ? `storing falls behind taking in (backlog +${saturation.backlogGrowthPerSecond}/s)`
      : 'storing keeps up with taking in';
  const alone =
    `alone, the api processes take ${ingressOnly.acceptedPerSecond}/s and the workers store ` +
    `${workersOnly.processedPerSecond}/s: the ${
      ingressOnly.acceptedPerSecond < workersOnly.processedPerSecond ? 'ingress' : 'pipeline'
    } side is the slower`;
  const { cores } = saturation;
  const shares = Object.entries({
    worker: cores.worker,
    api: cores.api,
    PostgreSQL: cores.postgres,
    Redis: cores.redis,
    'load generator': cores.loadGenerator,
  })
    .sort((a, b) => b[1] - a[1])
    .map(([name, c]) => `${name} ${c}`)
    .join(', ');
  const idle = Math.round(saturation.machineIdleShare * 100);
  const machine =
    saturation.machineIdleShare < 0.1
      ? `all ${cpus} CPUs busy (idle ${idle}%)`
      : `not CPU-bound (idle ${idle}%): latency or concurrency bound`;
  const oneCore = [saturation, ingressOnly, workersOnly]
    .map((p) => p.busiestProcess)
    .filter((p) => p.cores >= 0.9)
    .map((p) => `${p.name} at ${p.cores} CPU`);
  return (
    `${side}; ${alone}; saturated: ${machine}, CPUs by component ${shares}` +
    (oneCore.length ? `; event loop bound: ${[...new Set(oneCore)].join(', ')}` : '')
  );
}
