import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jest } from '@jest/globals';
import {
  CredentialsError,
  MappingError,
  NotSupportedError,
  ProviderError,
  discoverPlugins,
  pluginCapabilities,
} from '@switchboard/core';
import { createTestContext } from '@switchboard/plugin-sdk/testing';

/**
 * A plugin author's path, outside the repository: pack the SDK, scaffold a plugin with
 * `switchboard plugin-new`, `npm install` (offline: the SDK tarball plus the npm cache), build,
 * run the generated tests, and have Switchboard discover it through PLUGINS. Bounded: each step
 * has its own timeout and the whole test stays under two minutes.
 */
// About 80 s on an idle machine (npm install ~20 s, two TypeScript compiles, the CLI); the margin is for a busy one.
jest.setTimeout(180_000);

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = path.join(ROOT, 'apps/cli/bin/switchboard.js');
const NPM_ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

function run(
  command: string,
  args: string[],
  cwd: string,
  timeout = 60_000,
  env: NodeJS.ProcessEnv = NPM_ENV,
) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

describe('plugin starter outside the repository', () => {
  let work: string;
  let pluginDir: string;
  let tarball: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-plugin-author-'));
    pluginDir = path.join(work, 'acme-calls');
    // The CLI is built by `npm test` before the e2e project (as cli.e2e.ts assumes); the SDK is packed from its build.
    run('npx', ['tsc', '-b', 'libs/plugin-sdk'], ROOT, 60_000);
    const packed = JSON.parse(
      run('npm', ['pack', '-w', '@switchboard/plugin-sdk', '--pack-destination', work, '--json'], ROOT),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, packed[0].filename);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('packs a self-contained SDK: types included, no private package at runtime or in its types', () => {
    const unpacked = path.join(work, 'sdk');
    fs.mkdirSync(unpacked);
    run('tar', ['-xzf', tarball, '-C', unpacked], work);
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package/package.json'), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
      private?: boolean;
    };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.private).toBeUndefined();
    expect(Object.keys(pkg.dependencies).filter((d) => d.startsWith('@switchboard/'))).toEqual([]);
    const files = fs.readdirSync(path.join(unpacked, 'package'), { recursive: true }).map(String);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'dist/index.d.ts', 'dist/testing/index.d.ts']),
    );
    const leaking = files
      .filter((f) => /\.(js|d\.ts)$/.test(f))
      .filter((f) =>
        fs.readFileSync(path.join(unpacked, 'package', f), 'utf8').includes('@switchboard/core'),
      );
    expect(leaking).toEqual([]);
  });

  it('scaffolds, installs with npm install alone, builds, passes its tests and is discovered through PLUGINS', async () => {
    const out = run(
      process.execPath,
      [CLI, 'plugin-new', 'acme-calls', '--dir', pluginDir, '--sdk', tarball],
      work,
    );
    expect(out).toContain('provider "acme-calls"');
    const pkg = JSON.parse(fs.readFileSync(path.join(pluginDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@switchboard/plugin-sdk']).toBe(`file:${tarball}`);
    const tsconfig = fs.readFileSync(path.join(pluginDir, 'tsconfig.json'), 'utf8');
    expect(tsconfig).not.toContain('../');

    // Prefer the npm cache (the SDK itself comes from the tarball); fetch only what the cache lacks.
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], pluginDir, 90_000);
    expect(fs.lstatSync(path.join(pluginDir, 'node_modules/@switchboard/plugin-sdk')).isSymbolicLink()).toBe(
      false,
    );
    run('npm', ['run', 'build'], pluginDir);
    const tests = run('npm', ['test'], pluginDir);
    expect(tests).toMatch(/# pass [1-9]\d*/);
    expect(tests).toContain('# fail 0');

    // The CLI, as an operator runs it, lists the plugin as loaded.
    const listed = JSON.parse(
      run(process.execPath, [CLI, 'plugins', '--json'], ROOT, 30_000, {
        PATH: process.env.PATH,
        PLUGINS: pluginDir,
        LOG_LEVEL: 'silent',
      }),
    ) as Array<{ provider: string; status: string }>;
    expect(listed).toContainEqual(expect.objectContaining({ provider: 'acme-calls', status: 'loaded' }));

    // Loaded in this process, the plugin's own SDK copy throws errors the platform's classes match.
    const { loaded, failed } = await discoverPlugins({
      rootDir: work,
      explicit: [pluginDir],
      explicitOnly: true,
    });
    expect(failed).toEqual([]);
    const [plugin] = loaded;
    expect(plugin.manifest.provider).toBe('acme-calls');
    const adapter = new plugin.manifest.adapter(
      createTestContext({
        provider: 'acme-calls',
        credentials: { accountId: 'a', apiKey: 'k' },
        apiBaseUrl: 'http://127.0.0.1:1',
        maxAttempts: 1,
      }),
    );
    // Capabilities are read from the plugin's own class (its own SDK copy): no flags, no stubs.
    expect(pluginCapabilities(plugin.manifest)).toEqual(['webhooks', 'history', 'callLookup']);
    expect('provisionNumber' in adapter).toBe(false);
    await expect(adapter.authenticate()).rejects.toBeInstanceOf(ProviderError);
    const unmappable = {
      method: 'POST',
      headers: {},
      query: { event: 'completed' },
      rawBody: Buffer.from('{}'),
      body: {},
      receivedAt: new Date(),
    };
    expect(() => adapter.mapWebhook!(unmappable)).toThrow(MappingError);
    expect(new CredentialsError('x', 'y')).not.toBeInstanceOf(NotSupportedError);
  });
});
