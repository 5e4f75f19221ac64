export * from './database.js';
export * from './contracts/index.js';
