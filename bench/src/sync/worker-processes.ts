import { spawn, type ChildProcess } from 'node:child_process';
import { machineCpuMs, processCpuMs, processMemoryKb } from '../common/process-cpu.js';

/** A built worker (`apps/worker/dist/main.js`) running as a child process, with its output kept. */
export class WorkerProcess {
  output = '';
  private exited = false;
  private readonly exit: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      // The tail is enough to explain a failure and to find the run lines.
      this.output = (this.output + chunk.toString()).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exited = true;
        resolve(code);
      }),
    );
  }

  static async start(options: {
    script: string;
    cwd: string;
    nodeArgs: string[];
    env: Record<string, string>;
  }): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [...options.nodeArgs, options.script], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (worker.output.includes('Switchboard worker running')) {
          clearInterval(timer);
          resolve();
        } else if (worker.exited) {
          clearInterval(timer);
          reject(new Error(`worker exited before it was ready:\n${worker.output.slice(-2000)}`));
        }
      }, 50);
    });
    return worker;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Peak resident set size so far (VmHWM), in kB. */
  peakRssKb(): number {
    return processMemoryKb(this.pid).peak;
  }

  /** User + system CPU time so far, in ms. */
  cpuMs(): number {
    return orZero(processCpuMs(this.pid));
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/** Total and idle CPU time of the machine (/proc/stat), in ms. */
export function machineTicks(): { total: number; idle: number } {
  return machineCpuMs();
}

/** CPU time (ms) of each PostgreSQL backend serving `database` (same machine), by pid. */
export async function backendCpuMs(
  sql: { query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }> },
  database: string,
): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  return new Map(rows.map((r) => [r.pid, orZero(processCpuMs(r.pid))]));
}

/** A process that is gone counts as having used nothing (as before the shared helpers). */
function orZero(ms: number): number {
  return Number.isFinite(ms) ? ms : 0;
}
