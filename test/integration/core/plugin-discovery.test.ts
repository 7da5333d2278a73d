import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverPlugins, pluginCapabilities } from '@switchboard/core';

const ROOT = new URL('../../..', import.meta.url).pathname;
const SDK = path.join(ROOT, 'libs/plugin-sdk/src/index.ts');

/** Writes a package into <dir>/node_modules/<name> with the given entry source. */
function writePackage(
  dir: string,
  name: string,
  entrySource: string,
  pluginField: unknown = { entry: 'index.js' },
): string {
  const pkgDir = path.join(dir, 'node_modules', name);
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.writeFileSync(
    path.join(pkgDir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', switchboard: { plugin: pluginField } }),
  );
  fs.writeFileSync(path.join(pkgDir, 'index.js'), entrySource);
  return pkgDir;
}

/**
 * Source of a minimal plugin module (plain JavaScript, as a published plugin ships) with the
 * given manifest overrides. Decorators are applied as functions since JS has no decorator syntax here.
 */
function pluginSource(provider: string, overrides = ''): string {
  return `
import { CallTrackingPlugin, IsString } from '${SDK}';
class Creds {}
IsString()(Creds.prototype, 'key');
// A webhook receiver: the smallest adapter a manifest is valid with.
class Adapter {
  async authenticate() {}
  webhookTemplates() { return []; }
  describeWebhook() { return {}; }
  mapWebhook() { throw new Error('not used here'); }
}
export default class TestPlugin {}
CallTrackingPlugin({
  provider: '${provider}',
  displayName: 'Test ${provider}',
  version: '1.2.3',
  compatibility: '^1.0.0',
  features: { realtime: false, recording: false, transcription: false },
  credentials: Creds,
  secretCredentialFields: ['key'],
  adapter: Adapter,
  rateLimits: {},
  sync: { intervalSeconds: 60, batchSize: 10, lookbackSeconds: 0 },
  webhooks: { schemes: ['token'] },
  ${overrides}
})(TestPlugin);
`;
}

describe('plugin discovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-plugins-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the three bundled plugins in the repository', async () => {
    const { loaded, failed } = await discoverPlugins({ rootDir: ROOT });
    expect(loaded.map((p) => p.manifest.provider)).toEqual(
      expect.arrayContaining(['retreaver', 'ringba', 'trackdrive']),
    );
    expect(failed).toEqual([]);
  });

  it('loads a valid plugin package and ignores packages that are not plugins', async () => {
    writePackage(dir, 'good-plugin', pluginSource('acme'));
    fs.mkdirSync(path.join(dir, 'node_modules', 'left-pad'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'left-pad', 'package.json'), '{"name":"left-pad"}');
    const { loaded, failed } = await discoverPlugins({ rootDir: dir, explicitOnly: false });
    const acme = loaded.find((p) => p.manifest.provider === 'acme');
    expect(acme?.packageName).toBe('good-plugin');
    expect(acme?.manifest.version).toBe('1.2.3');
    expect(failed.filter((f) => f.packageName === 'left-pad')).toEqual([]);
  });

  it('skips a broken plugin with its reason and keeps the others', async () => {
    writePackage(dir, 'good-plugin', pluginSource('acme'));
    writePackage(dir, 'throws-plugin', `throw new Error('boom at import');`);
    writePackage(
      dir,
      'future-plugin',
      pluginSource('future', `compatibility: '^2.0.0',`).replace("compatibility: '^1.0.0',", ''),
    );
    writePackage(dir, 'bad-id-plugin', pluginSource('Bad Id'));
    writePackage(dir, 'not-decorated', `export default class Nothing {}`);
    writePackage(dir, 'missing-entry', `export {};`, { entry: 'nope.js' });
    writePackage(dir, '@scope/dupe-plugin', pluginSource('acme'));

    const { loaded, failed } = await discoverPlugins({ rootDir: dir });
    // Two packages claim "acme": exactly one (the first by package name) is loaded.
    expect(loaded.filter((p) => p.manifest.provider === 'acme').map((p) => p.packageName)).toEqual([
      '@scope/dupe-plugin',
    ]);
    const reasons = Object.fromEntries(failed.map((f) => [f.packageName, f.reason]));
    expect(reasons['throws-plugin']).toMatch(/cannot load index\.js: boom at import/);
    expect(reasons['future-plugin']).toMatch(/needs SDK \^2\.0\.0 but this Switchboard provides SDK 1\.1\.0/);
    expect(reasons['bad-id-plugin']).toMatch(/provider id "Bad Id" must match/);
    expect(reasons['not-decorated']).toMatch(/is not a @CallTrackingPlugin module/);
    expect(reasons['missing-entry']).toMatch(/cannot load nope\.js/);
    expect(reasons['good-plugin']).toMatch(/provider id "acme" is already registered by @scope\/dupe-plugin/);
    expect(loaded).toHaveLength(1);
  });

  it('loads a plugin named in PLUGINS by package name', async () => {
    const { loaded, failed } = await discoverPlugins({
      rootDir: ROOT,
      explicit: ['@switchboard/plugin-trackdrive'],
      explicitOnly: true,
    });
    expect(failed).toEqual([]);
    expect(loaded.map((p) => p.manifest.provider)).toEqual(['trackdrive']);
  });

  it('loads plugins named in PLUGINS by path, and reports names that are not installed', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-explicit-'));
    try {
      const pkgDir = writePackage(outside, 'explicit-plugin', pluginSource('explicit'));
      const { loaded, failed } = await discoverPlugins({
        rootDir: dir,
        explicit: [pkgDir, 'not-installed-plugin'],
        explicitOnly: true,
      });
      expect(loaded.map((p) => p.manifest.provider)).toEqual(['explicit']);
      expect(failed).toEqual([
        expect.objectContaining({
          packageName: 'not-installed-plugin',
          reason: expect.stringMatching(/not installed/),
        }),
      ]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('loads an SDK 1.0 plugin: stubbed methods its manifest set to false are not capabilities', async () => {
    // A 1.0 adapter implemented every method, throwing NotSupportedError where the provider had none,
    // and listed all seven flags; it must keep loading, with only its real capabilities.
    const legacy = pluginSource('legacy')
      .replace(
        "mapWebhook() { throw new Error('not used here'); }",
        `mapWebhook() { throw new Error('not used here'); }
  async getCalls() { return { calls: [] }; }
  async updateCall() { throw new Error('NotSupported'); }
  async provisionNumber() { throw new Error('NotSupported'); }
  async releaseNumber() { throw new Error('NotSupported'); }`,
      )
      .replace(
        'features: { realtime: false, recording: false, transcription: false },',
        'features: { webhooks: true, realtime: true, numberProvisioning: false, recording: false, transcription: false, webhookRegistration: false, callUpdates: false },',
      );
    writePackage(dir, 'legacy-plugin', legacy);
    const { loaded, failed } = await discoverPlugins({ rootDir: dir });
    expect(failed).toEqual([]);
    expect(pluginCapabilities(loaded[0].manifest)).toEqual(['webhooks', 'history']);
  });

  it('refuses a plugin that declares a feature its adapter does not implement, or half a capability', async () => {
    writePackage(
      dir,
      'claims-plugin',
      pluginSource('claims').replace(
        'features: { realtime: false, recording: false, transcription: false },',
        'features: { callUpdates: true },',
      ),
    );
    writePackage(
      dir,
      'half-plugin',
      pluginSource('half').replace(
        "mapWebhook() { throw new Error('not used here'); }",
        "mapWebhook() { throw new Error('not used here'); }\n  async provisionNumber() {}",
      ),
    );
    const { loaded, failed } = await discoverPlugins({ rootDir: dir });
    expect(loaded).toEqual([]);
    const reasons = Object.fromEntries(failed.map((f) => [f.packageName, f.reason]));
    expect(reasons['claims-plugin']).toMatch(
      /features\.callUpdates is true but the adapter has no updateCall/,
    );
    expect(reasons['half-plugin']).toMatch(/implements provisionNumber but not releaseNumber/);
  });
});
