#!/usr/bin/env node
// Keeps each workspace's tsconfig.json project references in step with its @switchboard/*
// dependencies, and the root tsconfig.json listing every project. Run after adding a package.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const byName = new Map();
// Front ends are type-checked and built by their own bundler (apps/console: tsc --noEmit + Vite),
// not by `tsc -b`; their tsconfig.json is their own.
const bundled = new Set(['apps/console']);
for (const ws of rootPkg.workspaces) {
  if (bundled.has(ws)) continue;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, ws, 'package.json'), 'utf8'));
  byName.set(pkg.name, { dir: ws, pkg });
}
const write = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
const refsFor = (dir, deps) =>
  Object.keys(deps)
    .filter((d) => byName.has(d))
    .sort()
    .map((d) => ({ path: path.relative(dir, path.join(root, byName.get(d).dir)) }));

for (const { dir, pkg } of byName.values()) {
  const abs = path.join(root, dir);
  const deps = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies };
  write(path.join(abs, 'tsconfig.json'), {
    extends: path.relative(abs, path.join(root, 'tsconfig.base.json')),
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['src'],
    exclude: ['src/**/*.spec.ts'],
    references: refsFor(abs, deps),
  });
}
// Tools that are built but are not packages: simulators (npm run simulate) and benchmarks.
const tools = ['test/simulators', 'bench'];
for (const dir of tools) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) continue;
  write(path.join(abs, 'tsconfig.json'), {
    extends: path.relative(abs, path.join(root, 'tsconfig.base.json')),
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['src'],
    exclude: ['src/**/*.spec.ts'],
    references: [
      ...[...byName.values()].map(({ dir: d }) => ({ path: path.relative(abs, path.join(root, d)) })),
      // Benchmarks stand up provider simulators (bench:sync).
      ...(dir === 'bench' ? [{ path: path.relative(abs, path.join(root, 'test/simulators')) }] : []),
    ],
  });
}
write(path.join(root, 'tsconfig.json'), {
  files: [],
  references: [
    ...[...byName.values()].map(({ dir }) => ({ path: dir })),
    ...tools.filter((t) => fs.existsSync(path.join(root, t))).map((t) => ({ path: t })),
  ],
});
