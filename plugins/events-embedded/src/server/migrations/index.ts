import type { PluginMigration } from '@oneservice/plugin-sdk';
import * as eventRecords001 from './001-event-records.js';
import * as eventRecordsCommitOrder002 from './002-event-records-commit-order.js';

/** Applied in key order by the kernel (and directly by the tests). */
export const migrations: Record<string, PluginMigration> = {
  '001-event-records': eventRecords001,
  '002-event-records-commit-order': eventRecordsCommitOrder002,
};
