import { scale } from './support/checks.js';
import { Platform } from './support/platform.js';
import { fuzzedWebhooks } from './scenarios/fuzz-webhooks.js';
import { postgresCrash } from './scenarios/postgres-crash.js';
import { providerFaultsDuringBackfill } from './scenarios/provider-faults.js';
import { redisOutage } from './scenarios/redis-outage.js';
import { secretHygiene } from './scenarios/secret-hygiene.js';
import { workerSigkillUnderLoad } from './scenarios/worker-sigkill.js';

/**
 * The reliability suite (figures in RESULTS.md): one Switchboard (built API and worker processes,
 * a private Redis, PostgreSQL behind a TCP proxy) taken through each fault in turn, each scenario
 * on its own connections. Every scenario asserts: acknowledged == stored == processed after the
 * fault, no call or event stored twice, no secret in any log line or response, and no restart of
 * the API or the first worker. Bounded here; `npm run test:reliability` runs it long.
 */
const s = scale();
let p: Platform;

beforeAll(async () => {
  p = await Platform.start({ ALLOW_CUSTOM_API_BASE_URLS: 'true', SYNC_SCHEDULE_ENABLED: 'false' });
  await p.startApi();
  p.startWorker();
}, 180_000);

afterAll(async () => {
  await p?.stop();
}, 60_000);

afterEach(() => {
  // Recovery without restarts: the API and the first worker are the processes the suite started.
  const [api, worker] = p.processes;
  if (!api || !worker) throw new Error('the suite did not start its API and worker');
  expect([api.child.exitCode, api.child.signalCode, worker.child.exitCode, worker.child.signalCode]).toEqual([
    null,
    null,
    null,
    null,
  ]);
});

const long = (seconds: number) => (seconds + s.durationS * 3) * 1000;

describe('reliability suite (built API and workers as processes)', () => {
  it('secret hygiene: no secret in any log line or response', () => secretHygiene(p), long(60));
  it(
    'fuzzed webhooks: 2xx or 4xx to anything, every 202 stored and settled',
    () => fuzzedWebhooks(p, s.fuzzRuns),
    long(120) + s.fuzzRuns * 200,
  );
  it('worker SIGKILL under load', () => workerSigkillUnderLoad(p, s), long(150));
  it('Redis crash, data kept', () => redisOutage(p, s, false), long(180));
  it('Redis crash, data lost', () => redisOutage(p, s, true), long(240));
  it('PostgreSQL crash under load', () => postgresCrash(p, s), long(180));
  it('provider faults during a backfill', () => providerFaultsDuringBackfill(p, s.historyCalls), long(240));
});
