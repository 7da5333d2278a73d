#!/usr/bin/env node
// Generates the Prisma client offline. `prisma generate` only checks that a schema-engine binary
// exists (it never runs it for generation), and the real one cannot be downloaded on offline
// machines, so we point it at any existing file unless the user supplies the real engine.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(
  process.execPath,
  [cli, 'generate', '--schema', path.join('prisma', 'schema.prisma')],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    cwd: path.resolve(import.meta.dirname, '..'),
  },
);
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  process.exit(result.status ?? 1);
}
