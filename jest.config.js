// Native ESM jest (node --experimental-vm-modules) with @swc/jest: TypeScript is transformed
// without the TypeScript compiler (see docs/adr/0002-typescript-toolchain.md).
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@oneservice/plugin-sdk/testing$': '<rootDir>/plugin-sdk/src/testing/index.ts',
    '^@oneservice/plugin-sdk/testing/contracts$': '<rootDir>/plugin-sdk/src/testing/contracts/index.ts',
    '^@oneservice/plugin-sdk$': '<rootDir>/plugin-sdk/src/index.ts',
    '^@oneservice/core$': '<rootDir>/core/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{core,plugin-sdk,frontend-shell,plugins/*}/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
  testTimeout: 60000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.js',
};
