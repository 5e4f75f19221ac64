import type { PluginMigration } from '@oneservice/plugin-sdk';

/**
 * The idempotency keys of point writes (the ingest batch ids), stored in the same transaction as the
 * points: a key here means its points are committed, and no key means none of them are — there is no
 * window between two commits in which a resend could store a batch twice. run_id lets deleteRun drop
 * a run's keys with its points.
 */
export const runMetricBatches: PluginMigration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE run_metric_batches (
        tenant_id uuid NOT NULL,
        batch_key text NOT NULL,
        run_id uuid NOT NULL,
        points integer NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, batch_key)
      )`);
    await knex.raw('CREATE INDEX run_metric_batches_run_idx ON run_metric_batches (tenant_id, run_id)');
  },
  async down(knex) {
    await knex.raw('DROP TABLE IF EXISTS run_metric_batches');
  },
};
