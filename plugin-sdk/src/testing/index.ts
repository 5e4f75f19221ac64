// The kernel harness and test databases. Contract suites (which need jest's globals) are a separate
// entry, `@oneservice/plugin-sdk/testing/contracts`, so this one also works outside jest.
export * from './database.js';
export * from './harness.js';
