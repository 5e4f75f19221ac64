export * from './database.js';
export * from './contracts/index.js';
export * from './harness.js';
export * from './provider-plugin.js';
