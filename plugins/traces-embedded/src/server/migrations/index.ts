import type { PluginMigration } from '@oneservice/plugin-sdk';
import * as traceSpans001 from './001-trace-spans.js';

/** Applied in key order by the kernel (and directly by the tests). */
export const migrations: Record<string, PluginMigration> = {
  '001-trace-spans': traceSpans001,
};
