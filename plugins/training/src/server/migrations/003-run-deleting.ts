import type { PluginMigration } from '@oneservice/plugin-sdk';

/**
 * Set when a run's deletion starts and until its rows go: ingest refuses the run's batches meanwhile,
 * and a batch that was already being stored removes what it wrote (run-service.ts, ingest-service.ts).
 */
export const runDeleting: PluginMigration = {
  async up(knex) {
    await knex.raw('ALTER TABLE runs ADD COLUMN deleting_since timestamptz');
  },
  async down(knex) {
    await knex.raw('ALTER TABLE runs DROP COLUMN IF EXISTS deleting_since');
  },
};
