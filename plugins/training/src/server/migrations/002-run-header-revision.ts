import type { PluginMigration } from '@oneservice/plugin-sdk';

/**
 * The highest header revision applied to each run (ingest-protocol.md, "Run header order"); null for
 * runs whose headers never carried one. bigint: monitor_sdk's revisions are microseconds since the epoch.
 */
export const runHeaderRevision: PluginMigration = {
  async up(knex) {
    await knex.raw('ALTER TABLE runs ADD COLUMN header_revision bigint');
  },
  async down(knex) {
    await knex.raw('ALTER TABLE runs DROP COLUMN IF EXISTS header_revision');
  },
};
