import { spawn, type ChildProcess } from 'node:child_process';
import { processCpuMs, processMemoryKb } from './process-cpu.js';

/** How to tell that a started process is ready for work. */
export type Readiness =
  /** an HTTP URL answers with this status (the api's `/health/live`) */
  | { url: string; status?: number }
  /** a line in its output (the worker's "Switchboard worker running") */
  | { logLine: string };

/**
 * A built app (`apps/api/dist/main.js`, `apps/worker/dist/main.js`) running as a child process,
 * as in production: its own environment (PATH plus what is given, nothing inherited), its output
 * kept (the tail explains a failure).
 */
export class BuiltApp {
  private output = '';
  private exited = false;
  private readonly exit: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-100_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = true;
        resolve(code ?? (signal ? -1 : null));
      }),
    );
  }

  /** Starts the script with `node [nodeArgs] script` and waits (up to 60 s) until it is ready. */
  static async start(options: {
    name: string;
    script: string;
    cwd: string;
    env: Record<string, string>;
    nodeArgs?: string[];
    /** e.g. `['taskset', '-c', '0']` to pin it to a CPU */
    prefixCommand?: string[];
    ready: Readiness;
  }): Promise<BuiltApp> {
    const [command, ...args] = [
      ...(options.prefixCommand ?? []),
      process.execPath,
      ...(options.nodeArgs ?? []),
      options.script,
    ];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new BuiltApp(options.name, child);
    await app.waitUntilReady(options.ready);
    return app;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** The last part of what it wrote to stdout and stderr. */
  tail(chars = 2_000): string {
    return this.output.slice(-chars);
  }

  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  memoryKb(): { rss: number; peak: number } {
    return processMemoryKb(this.pid);
  }

  /** SIGSTOP: the process keeps its connections and state but gets no CPU until `resume`. */
  pause(): void {
    if (!this.exited) this.child.kill('SIGSTOP');
  }

  resume(): void {
    if (!this.exited) this.child.kill('SIGCONT');
  }

  /** SIGTERM (a worker finishes its jobs in flight), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.resume();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  private async waitUntilReady(ready: Readiness): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited before it was ready:\n${this.tail()}`);
      if ('logLine' in ready) {
        if (this.output.includes(ready.logLine)) return;
      } else {
        try {
          const response = await fetch(ready.url);
          if (response.status === (ready.status ?? 200)) return;
        } catch {
          // not listening yet
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.stop(1_000);
    throw new Error(`${this.name} was not ready within 60 s:\n${this.tail()}`);
  }
}
