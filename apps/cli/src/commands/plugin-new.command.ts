import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../output.js';

/** The starter plugin this command copies (examples/plugin-starter in the repository). */
const STARTER = path.resolve(import.meta.dirname, '../../../../examples/plugin-starter');
const PROVIDER_ID = /^[a-z][a-z0-9-]{1,48}$/;
/** The starter's dependency on the SDK, as its package.json spells it. */
const SDK_SPEC = '^1.1.0';
const SKIPPED = new Set(['dist', 'node_modules', 'build-test']);

/** A version range as given; an existing path (tarball or folder) as file:<absolute path>. */
function sdkSpec(value: string | undefined): string {
  if (!value) return SDK_SPEC;
  const local = value.startsWith('file:') ? value.slice('file:'.length) : value;
  if (fs.existsSync(local)) return `file:${path.resolve(local)}`;
  if (value.startsWith('file:') || value.endsWith('.tgz'))
    throw new CliError(`--sdk ${value}: no such file or folder`, 2);
  return value;
}

export function registerPluginNew(program: Command): void {
  program
    .command('plugin-new <id>')
    .description('create a new provider plugin package from the starter (id: lower-case, e.g. invoca)')
    .option('--dir <path>', 'where to create it (default: plugins/<id>)')
    .option('--name <displayName>', 'display name (default: the id, capitalized)')
    .option(
      '--sdk <spec>',
      `how package.json names the SDK: a version range (default ${SDK_SPEC}), or a path to an SDK tarball or folder (written as file:<absolute path>)`,
    )
    .action((id: string, options: { dir?: string; name?: string; sdk?: string }) => {
      if (!PROVIDER_ID.test(id))
        throw new CliError(
          `plugin id must match ${PROVIDER_ID} (lower-case letters, digits, dashes), got "${id}"`,
          2,
        );
      const target = path.resolve(options.dir ?? path.join('plugins', id));
      if (fs.existsSync(target)) throw new CliError(`${target} already exists; choose another --dir`);
      if (!fs.existsSync(STARTER)) throw new CliError(`the starter is missing at ${STARTER}`);
      const pascal = id
        .split('-')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('');
      const display = options.name ?? pascal;
      const rename = (text: string) =>
        text
          .replaceAll('switchboard-plugin-starter', `switchboard-plugin-${id}`)
          .replaceAll('api.starter.example', `api.${id}.example`)
          .replaceAll("displayName: 'Starter'", `displayName: '${display.replaceAll("'", "\\'")}'`)
          .replaceAll('Starter', pascal)
          .replaceAll('starter', id);
      const sdk = sdkSpec(options.sdk);
      copy(STARTER, target, (text) =>
        rename(text).replace(
          `"@switchboard/plugin-sdk": "${SDK_SPEC}"`,
          `"@switchboard/plugin-sdk": ${JSON.stringify(sdk)}`,
        ),
      );
      process.stdout.write(
        `created ${path.relative(process.cwd(), target) || target} (provider "${id}")\n\n` +
          'next steps:\n' +
          `  1. cd ${target} && npm install && npm test   # SDK: ${sdk}\n` +
          `  2. implement src/${id}.adapter.ts and src/${id}.mapper.ts against the provider's real API\n` +
          '  3. npm run build, then list the folder in PLUGINS=<path> (or npm install it where Switchboard runs)\n' +
          '  4. npx switchboard plugins   # shows it loaded, or why not\n' +
          '  5. test it with runProviderConformance from @switchboard/plugin-sdk/testing (docs/plugin-authors-guide.md)\n',
      );
    });
}

function copy(from: string, to: string, rename: (text: string) => string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const destination = path.join(to, rename(entry.name));
    if (entry.isDirectory()) copy(source, destination, rename);
    else fs.writeFileSync(destination, rename(fs.readFileSync(source, 'utf8')));
  }
}
