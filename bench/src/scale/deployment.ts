import * as path from 'node:path';
import { BuiltApp } from '../common/built-app.js';
import { freePort } from '../common/free-port.js';
import { API_APP_NAME, WORKER_APP_NAME } from './component-cpu.js';

/** How many api and worker processes, e.g. `2+1` = two api processes and one worker. */
export interface Shape {
  apis: number;
  workers: number;
}

export function parseShape(text: string): Shape {
  const match = /^(\d+)\+(\d+)$/.exec(text.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
    throw new Error(`a configuration is "<api processes>+<workers>", e.g. 2+2 (got "${text}")`);
  return { apis: Number(match[1]), workers: Number(match[2]) };
}

export const shapeName = (s: Shape) => `${s.apis}+${s.workers}`;

export interface DeploymentSettings {
  root: string;
  /** what every process gets: DATABASE_URL, REDIS_URL, REDIS_PREFIX, ENCRYPTION_KEYS, ADMIN_TOKEN... */
  env: Record<string, string>;
  /** what workers get on top */
  workerEnv: Record<string, string>;
  workerNodeArgs: string[];
  /** CPU lists for `taskset -c`, by role; none = the scheduler decides */
  pin?: { api?: string; worker?: string };
}

/** The api and worker processes of one configuration, against one PostgreSQL and Redis. */
export class Deployment {
  private constructor(
    readonly shape: Shape,
    readonly apis: BuiltApp[],
    readonly apiUrls: string[],
    readonly workers: BuiltApp[],
  ) {}

  static async start(shape: Shape, settings: DeploymentSettings): Promise<Deployment> {
    const pinned = (cpus: string | undefined) => (cpus ? ['taskset', '-c', cpus] : undefined);
    const apiPorts = await Promise.all(Array.from({ length: shape.apis }, () => freePort()));
    const workerPorts = await Promise.all(Array.from({ length: shape.workers }, () => freePort()));
    const started = await Promise.allSettled([
      ...apiPorts.map((port, i) =>
        BuiltApp.start({
          name: `api-${i + 1}`,
          script: path.join(settings.root, 'apps/api/dist/main.js'),
          cwd: settings.root,
          prefixCommand: pinned(settings.pin?.api),
          env: {
            ...settings.env,
            // splits PostgreSQL's work by client (pg reads PGAPPNAME): see component-cpu.ts
            PGAPPNAME: `${API_APP_NAME}-${i + 1}`,
            HOST: '127.0.0.1',
            PORT: String(port),
            PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
          },
          ready: { url: `http://127.0.0.1:${port}/health/live` },
        }),
      ),
      ...workerPorts.map((port, i) =>
        BuiltApp.start({
          name: `worker-${i + 1}`,
          script: path.join(settings.root, 'apps/worker/dist/main.js'),
          cwd: settings.root,
          nodeArgs: settings.workerNodeArgs,
          prefixCommand: pinned(settings.pin?.worker),
          env: {
            ...settings.env,
            ...settings.workerEnv,
            PGAPPNAME: `${WORKER_APP_NAME}-${i + 1}`,
            WORKER_PORT: String(port),
          },
          ready: { url: `http://127.0.0.1:${port}/health/live` },
        }),
      ),
    ]);
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(apps.map((a) => a.stop(2_000)));
      throw failed.reason;
    }
    return new Deployment(
      shape,
      apps.slice(0, shape.apis),
      apiPorts.map((port) => `http://127.0.0.1:${port}`),
      apps.slice(shape.apis),
    );
  }

  /** Stops the workers in their tracks (SIGSTOP), so the api processes alone take webhooks in. */
  pauseWorkers(): void {
    for (const worker of this.workers) worker.pause();
  }

  resumeWorkers(): void {
    for (const worker of this.workers) worker.resume();
  }

  /** Processes that died during the run, with the end of their output. */
  crashed(): string[] {
    return [...this.apis, ...this.workers].filter((a) => !a.running).map((a) => `${a.name}:\n${a.tail()}`);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((app) => app.stop()));
  }
}
