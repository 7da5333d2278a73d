/**
 * `npm run simulate` — runs provider simulators on loopback and feeds a Switchboard with calls.
 *
 *   npm run simulate -- --provider ringba --calls-per-second 50 --target <webhook URL> --secret <token>
 *       fires at an existing connection (its webhook URL and current secret)
 *   npm run simulate -- --provider all --switchboard http://localhost:3000 [--admin-token T]
 *       creates one connection per provider on that Switchboard (API base URL = the simulator),
 *       then fires at them
 *   npm run simulate -- --provider trackdrive --serve [--port 4010]
 *       only serves the simulated API and prints its base URL and credentials (manual testing)
 * Other options: --calls <n> (stop after n calls per provider), --duration <s>, --seed <n>,
 * --port <n> (first simulator's port; the next ones follow).
 */
import { parseArgs } from 'node:util';
import { SIMULATORS } from './registry.js';
import type { ProviderSimulator, WebhookTarget } from './simulator.js';

const HELP = `usage: npm run simulate -- --provider <ringba|retreaver|trackdrive|all>
  (--target <webhook URL> --secret <token> | --switchboard <base URL> [--admin-token <token>] | --serve)
  [--calls-per-second <n>] [--calls <n>] [--duration <seconds>] [--seed <n>] [--port <n>]`;

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n${HELP}\n`);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        provider: { type: 'string', default: 'all' },
        target: { type: 'string' },
        secret: { type: 'string' },
        switchboard: { type: 'string' },
        'admin-token': { type: 'string' },
        'calls-per-second': { type: 'string', default: '1' },
        calls: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string', default: '42' },
        port: { type: 'string', default: '0' },
        serve: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number`);
  return n;
}

/**
 * Finds (by name) or creates this simulator's connection on a Switchboard API, points it at the
 * simulator's API and returns where to fire. Reusing the connection keeps restarts of the quick
 * start from piling up connections; its secret is rotated because secrets are only shown once.
 */
async function connect(
  base: string,
  adminToken: string | undefined,
  sim: ProviderSimulator,
): Promise<WebhookTarget> {
  const root = base.replace(/\/$/, '');
  const headers = {
    'content-type': 'application/json',
    ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${root}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as T & { message?: string };
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${json.message ?? ''}`);
    return json;
  };
  const name = `${sim.provider} simulator`;
  // Sync every minute (instead of the plugins' 5-10) so the quick start shows the pull side working.
  const settings = { apiBaseUrl: sim.baseUrl, sync: { intervalSeconds: 60 } };
  const { items } = await call<{ items: Array<{ id: string; name: string; webhookUrl: string }> }>(
    'GET',
    `/connections?provider=${sim.provider}`,
  );
  const existing = items.find((c) => c.name === name);
  let target: WebhookTarget & { id: string };
  if (existing) {
    await call('PATCH', `/connections/${existing.id}`, {
      settings,
      credentials: sim.credentials,
      active: true,
    });
    const { webhookSecret } = await call<{ webhookSecret: string }>(
      'POST',
      `/connections/${existing.id}/webhook-secret/rotate`,
      {
        keepPrevious: false,
      },
    );
    target = { id: existing.id, webhookUrl: existing.webhookUrl, secret: webhookSecret };
  } else {
    const created = await call<{ connection: { id: string; webhookUrl: string }; webhookSecret: string }>(
      'POST',
      '/connections',
      {
        provider: sim.provider,
        name,
        credentials: sim.credentials,
        settings,
      },
    );
    target = {
      id: created.connection.id,
      webhookUrl: created.connection.webhookUrl,
      secret: created.webhookSecret,
    };
  }
  process.stdout.write(`${sim.provider}: connection ${target.id} -> ${target.webhookUrl}\n`);
  return target;
}

async function main(): Promise<void> {
  const args = readArgs();
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const providers = args.provider === 'all' ? Object.keys(SIMULATORS) : (args.provider ?? '').split(',');
  for (const p of providers)
    if (!SIMULATORS[p]) fail(`unknown provider "${p}" (known: ${Object.keys(SIMULATORS).join(', ')})`);
  if (!args.serve && !args.switchboard && !(args.target && args.secret))
    fail('give --switchboard, or --target and --secret, or --serve');
  if (args.target && providers.length !== 1) fail('--target works with one --provider');
  const rate = positive('calls-per-second', args['calls-per-second'])!;
  const maxCalls = positive('calls', args.calls);
  const durationMs = (positive('duration', args.duration) ?? 0) * 1000;
  const seed = Number(args.seed);
  const firstPort = Number(args.port);

  const sims = providers.map((p, i) =>
    // History up to now, so the scheduled sync of the quick start's connections finds it.
    SIMULATORS[p]({
      seed: seed + i,
      port: firstPort ? firstPort + i : 0,
      historyCalls: 50,
      historyEnd: new Date(),
    }),
  );
  for (const sim of sims) {
    await sim.start();
    process.stdout.write(`${sim.provider} simulator API at ${sim.baseUrl}\n`);
    if (args.serve) process.stdout.write(`${sim.provider} credentials: ${JSON.stringify(sim.credentials)}\n`);
  }
  if (args.serve) {
    const stopServing = () => void Promise.all(sims.map((s) => s.stop())).then(() => process.exit(0));
    process.once('SIGINT', stopServing);
    process.once('SIGTERM', stopServing);
    return;
  }
  const targets = await Promise.all(
    sims.map((sim) =>
      args.switchboard
        ? connect(args.switchboard, args['admin-token'], sim)
        : Promise.resolve({ webhookUrl: args.target!, secret: args.secret! }),
    ),
  );

  const started = Date.now();
  const counts = sims.map(() => ({ calls: 0, webhooks: 0, failed: 0 }));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
    process.stdout.write(
      `simulated ${sims.map((s, i) => `${s.provider}: ${counts[i].calls} calls, ${counts[i].webhooks} webhooks (${counts[i].failed} not accepted)`).join('; ')}\n`,
    );
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const interval = 1000 / rate;
  const report = setInterval(() => {
    process.stdout.write(`${sims.map((s, i) => `${s.provider} ${counts[i].calls} calls`).join(', ')}\n`);
  }, 10_000);
  await Promise.all(
    sims.map(async (sim, i) => {
      let next = Date.now();
      while (
        !stopping &&
        (maxCalls === undefined || counts[i].calls < maxCalls) &&
        (!durationMs || Date.now() - started < durationMs)
      ) {
        const fired = await sim.simulateCall(targets[i]).catch((error: Error) => {
          process.stderr.write(`${sim.provider}: ${error.message}\n`);
          return [];
        });
        counts[i].calls++;
        counts[i].webhooks += fired.length;
        counts[i].failed += fired.filter((f) => f.status < 200 || f.status >= 300).length;
        next += interval;
        const wait = next - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }),
  );
  clearInterval(report);
  await stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
