#!/usr/bin/env node
// `npm test`: the whole suite as CI runs it — services, build (type check), lint, then every Jest
// project (unit, integration, e2e) against real PostgreSQL and Redis.
//   npm test                      everything
//   npm test -- --skip-lint       skip ESLint/Prettier
//   npm test -- <jest args>       e.g. --selectProjects unit, or a path
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureServices } from './local-services.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const skipLint = args.includes('--skip-lint');
const jestArgs = args.filter((a) => a !== '--skip-lint');

function run(label, command, commandArgs, env = process.env) {
  process.stdout.write(`\n> ${label}\n`);
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stderr.write(`\n${label} failed (exit ${result.status ?? result.signal})\n`);
    return false;
  }
  return true;
}

const services = await ensureServices({
  databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  log: (line) => process.stdout.write(`${line}\n`),
}).catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const adminUrl = new URL(services.databaseUrl);
adminUrl.pathname = '/postgres';
const env = {
  ...process.env,
  TEST_DATABASE_URL: adminUrl.toString(),
  TEST_REDIS_URL: services.redisUrl,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning']
    .filter(Boolean)
    .join(' '),
};

let ok = run('build (prisma generate + tsc -b)', 'npm', ['run', '--silent', 'build']);
if (ok && !skipLint) ok = run('lint (eslint + prettier)', 'npm', ['run', '--silent', 'lint']);
// --forceExit: Jest ends with process.exit once the results are in. Left to exit on its own, Node
// sometimes never finished its exit clean-up (gdb: FreeEnvironment -> CleanupHandles spinning
// uv_run at 100% CPU, minutes after the summary): that is how a CI run that passed timed out.
// Open handles still show up: the suites stop what they start, and --detectOpenHandles finds any.
if (ok)
  ok = run(
    'jest (unit, integration, e2e)',
    process.execPath,
    ['node_modules/jest/bin/jest.js', '--ci', '--forceExit', ...jestArgs],
    env,
  );
await services.stop();
process.exit(ok ? 0 : 1);
