import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Type } from '@nestjs/common';
import { getPluginManifest } from './call-tracking-plugin.decorator.js';
import { validateManifest } from './manifest-validation.js';
import { SDK_VERSION, type PluginManifest } from './plugin-manifest.js';

/** A plugin that passed every check and can be registered. */
export interface LoadedPlugin {
  manifest: PluginManifest;
  module: Type<unknown>;
  packageName: string;
  packageDir: string;
}

/** A plugin that was found but could not be used; the platform runs on without it. */
export interface FailedPlugin {
  packageName: string;
  packageDir?: string;
  provider?: string;
  reason: string;
}

export interface DiscoveryResult {
  loaded: LoadedPlugin[];
  failed: FailedPlugin[];
}

export interface DiscoveryOptions {
  /** Directory to start from; node_modules here and in every parent are scanned. */
  rootDir: string;
  /** Extra plugins: package names, or paths to package directories (the PLUGINS variable). */
  explicit?: string[];
  /** Skip scanning node_modules and load only `explicit` (tests, locked-down deployments). */
  explicitOnly?: boolean;
  sdkVersion?: string;
}

interface PluginDeclaration {
  entry?: string;
  export?: string;
}

interface Candidate {
  packageName: string;
  packageDir: string;
  declaration?: PluginDeclaration;
  main?: string;
}

/**
 * Finds installed plugin packages (package.json with a "switchboard": {"plugin": {...}} field) and
 * loads them. Never throws for a bad plugin: each problem becomes a FailedPlugin with its reason.
 */
export async function discoverPlugins(options: DiscoveryOptions): Promise<DiscoveryResult> {
  const candidates = new Map<string, Candidate>();
  const failed: FailedPlugin[] = [];

  if (!options.explicitOnly) {
    for (const dir of nodeModulesDirs(options.rootDir)) {
      for (const candidate of scanNodeModules(dir)) {
        const key = realpath(candidate.packageDir);
        if (!candidates.has(key)) candidates.set(key, candidate);
      }
    }
  }
  for (const spec of options.explicit ?? []) {
    const found = resolveExplicit(spec, options.rootDir);
    if ('reason' in found) failed.push(found);
    else candidates.set(realpath(found.packageDir), found);
  }

  const loaded: LoadedPlugin[] = [];
  // Sorted so that, when two packages claim one provider id, the same one wins on every start.
  const ordered = [...candidates.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
  for (const candidate of ordered) {
    const result = await loadCandidate(candidate, options.sdkVersion ?? SDK_VERSION);
    if ('reason' in result) {
      failed.push(result);
      continue;
    }
    const clash = loaded.find((p) => p.manifest.provider === result.manifest.provider);
    if (clash) {
      failed.push({
        packageName: result.packageName,
        packageDir: result.packageDir,
        provider: result.manifest.provider,
        reason: `provider id "${result.manifest.provider}" is already registered by ${clash.packageName}`,
      });
      continue;
    }
    loaded.push(result);
  }
  loaded.sort((a, b) => a.manifest.provider.localeCompare(b.manifest.provider));
  return { loaded, failed };
}

function nodeModulesDirs(start: string): string[] {
  const dirs: string[] = [];
  let current = path.resolve(start);
  for (;;) {
    const candidate = path.join(current, 'node_modules');
    if (fs.existsSync(candidate)) dirs.push(candidate);
    const parent = path.dirname(current);
    if (parent === current) return dirs;
    current = parent;
  }
}

function scanNodeModules(dir: string): Candidate[] {
  const found: Candidate[] = [];
  const visit = (packageDir: string) => {
    const candidate = readCandidate(packageDir);
    if (candidate?.declaration) found.push(candidate);
  };
  for (const entry of safeReaddir(dir)) {
    if (entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (entry.startsWith('@')) {
      for (const scoped of safeReaddir(full)) visit(path.join(full, scoped));
    } else {
      visit(full);
    }
  }
  return found;
}

function readCandidate(packageDir: string): Candidate | undefined {
  let pkg: { name?: string; main?: string; switchboard?: { plugin?: PluginDeclaration | true } };
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const plugin = pkg.switchboard?.plugin;
  return {
    packageName: pkg.name ?? path.basename(packageDir),
    packageDir,
    declaration: plugin === true ? {} : plugin,
    main: pkg.main,
  };
}

function resolveExplicit(spec: string, rootDir: string): Candidate | FailedPlugin {
  const looksLikePath = spec.startsWith('.') || path.isAbsolute(spec);
  let packageDir: string | undefined;
  if (looksLikePath) {
    packageDir = path.resolve(rootDir, spec);
  } else {
    // Look the package up the way Node would (node_modules here and in every parent), by its
    // directory: a package's "exports" map need not expose its package.json to require.resolve.
    packageDir = nodeModulesDirs(rootDir)
      .map((dir) => path.join(dir, spec))
      .find((dir) => fs.existsSync(path.join(dir, 'package.json')));
    if (!packageDir)
      return { packageName: spec, reason: `package "${spec}" listed in PLUGINS is not installed` };
  }
  const candidate = readCandidate(packageDir);
  if (!candidate) return { packageName: spec, packageDir, reason: `no package.json in ${packageDir}` };
  return { ...candidate, declaration: candidate.declaration ?? {} };
}

async function loadCandidate(candidate: Candidate, sdkVersion: string): Promise<LoadedPlugin | FailedPlugin> {
  const { packageName, packageDir } = candidate;
  const entry = candidate.declaration?.entry ?? candidate.main ?? 'index.js';
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(path.resolve(packageDir, entry)).href)) as Record<string, unknown>;
  } catch (error) {
    return { packageName, packageDir, reason: `cannot load ${entry}: ${firstLine(error)}` };
  }
  const wanted = candidate.declaration?.export;
  const moduleClass = wanted
    ? exports[wanted]
    : Object.values(exports).find((value) => getPluginManifest(value) !== undefined);
  const manifest = getPluginManifest(moduleClass);
  if (!manifest) {
    const where = wanted ? `export "${wanted}"` : 'any export';
    return { packageName, packageDir, reason: `${where} of ${entry} is not a @CallTrackingPlugin module` };
  }
  const problems = validateManifest(manifest, sdkVersion);
  if (problems.length > 0) {
    return {
      packageName,
      packageDir,
      provider: manifest.provider,
      reason: `invalid manifest: ${problems.join('; ')}`,
    };
  }
  return { manifest, module: moduleClass as Type<unknown>, packageName, packageDir };
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
