// Jest runs in native ESM mode (Nest 12 packages are ESM-only); see scripts/test.js for the flags.
import fs from 'node:fs';
import path from 'node:path';

const root = import.meta.dirname;
const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// Workspace packages resolve to their TypeScript sources, so tests never need a build.
const workspaceMap = {};
for (const ws of rootPkg.workspaces) {
  const { name } = JSON.parse(fs.readFileSync(path.join(root, ws, 'package.json'), 'utf8'));
  const entry = ws.startsWith('apps/') ? 'src/main.ts' : 'src/index.ts';
  workspaceMap[`^${name.replace('/', '\\/')}$`] = `<rootDir>/${ws}/${entry}`;
}
workspaceMap['^@switchboard\\/plugin-sdk\\/testing$'] = '<rootDir>/libs/plugin-sdk/src/testing/index.ts';
workspaceMap['^@switchboard\\/persistence\\/prisma$'] = '<rootDir>/libs/persistence/src/prisma.ts';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// A few ESM-only packages are require()d by CommonJS dependencies (content-disposition by
// @fastify/static, cookie by light-my-request). Node 20 allows that natively, Jest's module loader does not, so Jest compiles
// just those packages to CommonJS.
const esmRequiredFromCjs = ['content-disposition', 'cookie'];

const common = {
  rootDir: root,
  testEnvironment: 'node',
  // Tests and hooks that stand up apps, databases and simulators need more than Jest's 5 s when
  // the two cores are busy (the suite runs files in parallel); a test that hangs still fails.
  testTimeout: 30_000,
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`node_modules/(${esmRequiredFromCjs.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmRequiredFromCjs.join('|')})/)`],
  moduleNameMapper: {
    ...workspaceMap,
    // Its ESM build imports JSON without import attributes, which Jest warns about on every load.
    '^libphonenumber-js$': '<rootDir>/node_modules/libphonenumber-js/index.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.data/'],
};

export default {
  testTimeout: common.testTimeout,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        // examples/plugin-starter runs its own tests with node:test (test/e2e/plugin-starter.e2e.ts).
        '<rootDir>/{libs,plugins,apps}/*/src/**/*.spec.ts',
        '<rootDir>/test/simulators/src/**/*.spec.ts',
        '<rootDir>/bench/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // Fault runs against the built API and worker (test/reliability/RESULTS.md); bounded here,
      // longer with `npm run test:reliability`.
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.rel.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
