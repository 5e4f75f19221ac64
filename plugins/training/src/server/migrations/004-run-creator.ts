import type { PluginMigration } from '@oneservice/plugin-sdk';

/**
 * Who created the run: the user behind the session or API token of its first batch. The email is
 * copied because the users live in the kernel, which a plugin does not join; it is what the runs list
 * shows. Null for runs from before this column and for demo runs seeded without a user.
 */
export const runCreator: PluginMigration = {
  async up(knex) {
    await knex.raw('ALTER TABLE runs ADD COLUMN created_by uuid, ADD COLUMN created_by_email text');
    // The runs list's activity filter (time-range picker): started before `to`, not ended before `from`.
    await knex.raw('CREATE INDEX runs_tenant_started_idx ON runs (tenant_id, started_at)');
  },
  async down(knex) {
    await knex.raw('DROP INDEX IF EXISTS runs_tenant_started_idx');
    await knex.raw('ALTER TABLE runs DROP COLUMN IF EXISTS created_by, DROP COLUMN IF EXISTS created_by_email');
  },
};
