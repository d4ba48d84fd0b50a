const esm = require('./test/esm-packages');

/** Transpile-only ts-jest: type-checking is the job of `npm run typecheck` and the jsii build. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }],
    // ESM-only packages (kubernetes-models 5): see test/esm-packages.js
    [esm.ESM_FILE]: '<rootDir>/test/esm-packages-transformer.js',
  },
  transformIgnorePatterns: [esm.IGNORE_OTHER_PACKAGES],
  resolver: '<rootDir>/test/esm-packages-resolver.js',
  setupFiles: ['<rootDir>/test/setup-env.js'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  snapshotSerializers: ['<rootDir>/test/asset-hash-serializer.js'],
};
