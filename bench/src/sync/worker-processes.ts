import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

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
    return statusField(this.pid, 'VmHWM');
  }

  /** User + system CPU time so far, in ms. */
  cpuMs(): number {
    return processCpuMs(this.pid);
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

function statusField(pid: number, field: string): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Total and idle CPU clock ticks of the machine (/proc/stat). */
export function machineTicks(): { total: number; idle: number } {
  const fields = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { total: fields.reduce((a, b) => a + b, 0), idle: fields[3] + (fields[4] ?? 0) };
}

/** CPU time (ms) of each PostgreSQL backend serving `database` (same machine), by pid. */
export async function backendCpuMs(
  sql: { query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }> },
  database: string,
): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
}

/** User + system CPU time of a process, in ms (clock ticks are 10 ms). */
function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
