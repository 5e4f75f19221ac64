import plugin from '../src/server/index.js';

/** The plugin's migrations in the order the kernel runs them (by name). */
export const migrations = Object.entries(plugin.migrations ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([, migration]) => migration);
