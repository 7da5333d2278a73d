#!/usr/bin/env node
// Entry point of `npx switchboard`. The CLI is compiled TypeScript; a fresh clone needs a build first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    'switchboard: the CLI is not built yet; run `npm run build` in the repository first\n',
  );
  process.exit(1);
}
await import(entry);
