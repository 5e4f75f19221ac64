import type { PluginMigration } from '@oneservice/plugin-sdk';
import * as objectEntries001 from './001-object-entries.js';

/** Applied in key order by the kernel (and directly by the tests). */
export const migrations: Record<string, PluginMigration> = {
  '001-object-entries': objectEntries001,
};
