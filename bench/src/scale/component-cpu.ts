import type { Redis } from 'ioredis';
import type pg from 'pg';
import {
  machineCpuMs,
  postgresProcessCpu,
  redisServerCpuMs,
  type PostgresProcessCpu,
} from '../common/process-cpu.js';
import type { Deployment } from './deployment.js';

/** CPU time of everything that serves the bench deployment, at one moment. */
export interface CpuSnapshot {
  at: number;
  machine: { total: number; idle: number };
  apis: number[];
  workers: number[];
  postgres: PostgresProcessCpu[];
  redisMs: number;
  loadGeneratorMs: number;
  /** PostgreSQL's write-ahead log position, in bytes */
  walBytes: bigint;
}

/** CPU time used between two snapshots, by component, in ms. */
export interface ComponentCpu {
  wallMs: number;
  machineIdleShare: number;
  api: number;
  worker: number;
  /** the backends serving the api processes' connections */
  postgresForApi: number;
  /** the backends serving the workers' connections */
  postgresForWorker: number;
  /** WAL writer, checkpointer, autovacuum, background writer: the server's own work for all its databases */
  postgresBackground: number;
  /** backends of other databases on the same server (not ours: other work on the machine) */
  postgresOtherDatabases: number;
  /** the whole Redis server (INFO cpu), including anyone else's commands */
  redis: number;
  /** this process: autocannon, signing, bookkeeping */
  loadGenerator: number;
  /** WAL PostgreSQL wrote (the whole server: ours, and anyone else's writes meanwhile) */
  walBytes: number;
  /** connections (backends) open to our database at the end, by client */
  postgresConnections: { api: number; worker: number };
  /** each api / worker process, in the order they were started */
  perApi: number[];
  perWorker: number[];
}

export const API_APP_NAME = 'sb-scale-api';
export const WORKER_APP_NAME = 'sb-scale-worker';

export async function cpuSnapshot(deployment: Deployment, sql: pg.Pool, redis: Redis): Promise<CpuSnapshot> {
  const [postgres, redisMs, wal] = await Promise.all([
    postgresProcessCpu(sql),
    redisServerCpuMs(redis),
    sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
  ]);
  const self = process.cpuUsage();
  return {
    at: Date.now(),
    machine: machineCpuMs(),
    apis: deployment.apis.map((a) => a.cpuMs()),
    workers: deployment.workers.map((w) => w.cpuMs()),
    postgres,
    redisMs,
    loadGeneratorMs: (self.user + self.system) / 1000,
    walBytes: lsnBytes(wal.rows[0].lsn),
  };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, database: string): ComponentCpu {
  const earlier = new Map(before.postgres.map((p) => [p.pid, p.cpuMs]));
  const pg = { api: 0, worker: 0, background: 0, other: 0 };
  const connections = { api: 0, worker: 0 };
  for (const p of after.postgres) {
    // A backend that started after the first snapshot used all its CPU inside the window.
    const used = p.cpuMs - (earlier.get(p.pid) ?? 0);
    if (!Number.isFinite(used) || used < 0) continue;
    if (p.backendType === 'client backend' && p.database === database) {
      if (p.applicationName.startsWith(API_APP_NAME)) connections.api++;
      if (p.applicationName.startsWith(WORKER_APP_NAME)) connections.worker++;
    }
    if (p.backendType !== 'client backend') pg.background += used;
    else if (p.database !== database) pg.other += used;
    else if (p.applicationName.startsWith(API_APP_NAME)) pg.api += used;
    else if (p.applicationName.startsWith(WORKER_APP_NAME)) pg.worker += used;
    else pg.other += used; // the bench's own queries
  }
  const perApi = after.apis.map((ms, i) => ms - before.apis[i]);
  const perWorker = after.workers.map((ms, i) => ms - before.workers[i]);
  const machineTotal = after.machine.total - before.machine.total;
  return {
    wallMs: after.at - before.at,
    machineIdleShare: machineTotal > 0 ? (after.machine.idle - before.machine.idle) / machineTotal : NaN,
    api: sum(perApi),
    worker: sum(perWorker),
    postgresForApi: pg.api,
    postgresForWorker: pg.worker,
    postgresBackground: pg.background,
    postgresOtherDatabases: pg.other,
    redis: after.redisMs - before.redisMs,
    loadGenerator: after.loadGeneratorMs - before.loadGeneratorMs,
    walBytes: Number(after.walBytes - before.walBytes),
    postgresConnections: connections,
    perApi,
    perWorker,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `16/B374D848` -> bytes */
export function lsnBytes(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
