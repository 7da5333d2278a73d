import * as fs from 'node:fs';

/**
 * CPU time of processes on this machine, read from Linux /proc: what a benchmark divides by the
 * events it moved to get a cost per event. Clock ticks are 10 ms (USER_HZ 100).
 */

const TICK_MS = 10;

/** User + system CPU time of a process so far, in ms; NaN when it is gone or /proc is missing. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the command name, which
    // may itself contain spaces, hence the split after its closing parenthesis)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** Resident set size now (VmRSS) and at its peak (VmHWM), in kB. */
export function processMemoryKb(pid: number | undefined): { rss: number; peak: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Total and idle CPU time of the whole machine so far (/proc/stat, all CPUs), in ms. */
export function machineCpuMs(): { total: number; idle: number } {
  const fields = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  return {
    total: fields.reduce((a, b) => a + b, 0) * TICK_MS,
    // idle + iowait
    idle: (fields[3] + fields[4]) * TICK_MS,
  };
}

/** The 1-minute load average. */
export function loadAverage(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** One PostgreSQL server process with what `pg_stat_activity` says it is and its CPU so far. */
export interface PostgresProcessCpu {
  pid: number;
  /** `client backend` for a connection; `walwriter`, `checkpointer`, `autovacuum worker`... otherwise. */
  backendType: string;
  database: string | null;
  applicationName: string;
  cpuMs: number;
}

/**
 * Every process of the PostgreSQL server (same machine) with its CPU time: the backends of every
 * database and the server's own background processes. Group the backends by
 * `application_name` (a client sets it with `PGAPPNAME`) to split the database's work by client.
 * A backend that exits between two calls takes its CPU time with it.
 */
export async function postgresProcessCpu(sql: Queryable): Promise<PostgresProcessCpu[]> {
  const { rows } = await sql.query<{
    pid: number;
    backend_type: string;
    datname: string | null;
    application_name: string | null;
  }>('SELECT pid, backend_type, datname, application_name FROM pg_stat_activity');
  return rows.map((r) => ({
    pid: r.pid,
    backendType: r.backend_type,
    database: r.datname,
    applicationName: r.application_name ?? '',
    cpuMs: processCpuMs(r.pid),
  }));
}

/**
 * CPU time of the Redis server so far, in ms, as Redis reports it (`INFO cpu`: main thread and
 * its helpers, user + system), so it works wherever Redis runs.
 */
export async function redisServerCpuMs(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}
