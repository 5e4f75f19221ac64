export * from './port-ref.js';
export * from './events.js';
export * from './logs.js';
export * from './objects.js';
export * from './run-metrics.js';
export * from './traces.js';
