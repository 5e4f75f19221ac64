import type { PluginMigration } from '@oneservice/plugin-sdk';
import * as logRecords001 from './001-log-records.js';
import * as logRecordsCommitOrder002 from './002-log-records-commit-order.js';

/** Applied in key order by the kernel (and directly by the tests). */
export const migrations: Record<string, PluginMigration> = {
  '001-log-records': logRecords001,
  '002-log-records-commit-order': logRecordsCommitOrder002,
};
