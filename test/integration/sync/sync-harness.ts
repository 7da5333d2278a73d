import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { ConnectionService } from '@switchboard/connections';
import { QueueName } from '@switchboard/queue';
import type { ProviderSimulator } from '../../simulators/src/simulator.js';
import { PipelineHarness, redisConnection } from '../pipeline/pipeline-harness.js';

/**
 * The pipeline harness (database, Redis prefix, worker apps in this process) plus what sync tests
 * need: connections pointed at a provider simulator, and the Sync queue.
 */
export class SyncHarness {
  syncQueue!: Queue;

  private constructor(readonly base: PipelineHarness) {}

  static async start(options: { env?: Record<string, string>; workers?: number } = {}): Promise<SyncHarness> {
    const base = await PipelineHarness.start({
      workers: options.workers ?? 1,
      env: { ALLOW_CUSTOM_API_BASE_URLS: 'true', ...options.env },
    });
    const h = new SyncHarness(base);
    h.syncQueue = new Queue(QueueName.Sync, { connection: redisConnection(), prefix: base.prefix });
    return h;
  }

  get<T>(type: abstract new (...args: never[]) => T): T {
    return this.base.app.get(type as never) as T;
  }

  /** A live connection whose API calls go to the simulator (with its credentials unless overridden). */
  async connect(
    sim: ProviderSimulator,
    options: {
      credentials?: Record<string, string>;
      settings?: Record<string, unknown>;
      mode?: 'live' | 'shadow';
    } = {},
  ): Promise<string> {
    const { connection } = await this.base.app.get(ConnectionService).create({
      provider: sim.provider,
      name: `${sim.provider} sync test`,
      credentials: { ...sim.credentials, ...options.credentials },
      settings: { apiBaseUrl: sim.baseUrl, ...options.settings },
      mode: options.mode,
      validate: false,
    });
    return connection.id;
  }

  async calls(connectionId: string) {
    return this.base.calls(connectionId);
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    return this.base.count(sql, params);
  }

  async stop(): Promise<void> {
    await this.syncQueue?.obliterate({ force: true }).catch(() => undefined);
    await this.syncQueue?.close();
    await this.base.stop();
  }
}

/**
 * A pass-through HTTP proxy in front of a simulator that records when each request arrived, so a
 * test can check the rate every process together sent at.
 */
export async function recordingProxy(
  target: string,
): Promise<{ url: string; times: number[]; close(): Promise<void> }> {
  const times: number[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    times.push(Date.now());
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    times,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The most requests that arrived in one clock second (the limiter counts in the same fixed
 * windows, so a sliding window would count one second's tail and the next one's head together).
 */
export function busiestSecond(times: readonly number[]): number {
  const perSecond = new Map<number, number>();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}
