import * as fs from 'node:fs';

/**
 * The worker as docs/pipeline.md recommends running it for throughput, shared by bench:pipeline and
 * bench:scale. Each variable can be overridden from the environment; BENCH_WORKER_NODE_ARGS
 * replaces the Node flags.
 */
export const WORKER_THROUGHPUT_ENV: Readonly<Record<string, string>> = {
  WORKER_CONCURRENCY: '300',
  WORKER_BATCH_SIZE: '1000',
  WORKER_BATCH_WAIT_MS: '5',
  DATABASE_POOL_SIZE: '6',
};

/** The Node flags `npm run start:worker` starts the worker with (package.json is their one source). */
export const WORKER_NODE_ARGS: string = (
  JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts['start:worker']
  .split(' ')
  .filter((arg) => arg.startsWith('--'))
  .join(' ');

/** The worker's environment: the recommended settings, each overridden by the caller's environment. */
export function workerThroughputEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(WORKER_THROUGHPUT_ENV).map(([key, value]) => [key, process.env[key] ?? value]),
  );
}

/** The Node flags the benchmark starts its workers with. */
export function workerNodeArgs(): string[] {
  return (process.env.BENCH_WORKER_NODE_ARGS ?? WORKER_NODE_ARGS).split(' ').filter(Boolean);
}
