import type { PluginMigration } from '@oneservice/plugin-sdk';

/** How many hash partitions the points table has; changing it needs a data migration. */
export const POINT_PARTITIONS = 16;

/**
 * Points are hash-partitioned by run_id, not list-partitioned by tenant:
 * - every read names exactly one run (series, compare = one query per run), so the planner prunes to a
 *   single partition whose indexes are 1/16 of the whole;
 * - partitions are fixed at migration time, so no DDL is needed when a tenant or run appears (list
 *   partitions per tenant would need CREATE TABLE on the ingest path, and one huge tenant would still
 *   be one huge partition);
 * - writes of concurrent runs land in different partitions and indexes, which spreads index contention.
 * Retention deletes by run (DELETE … WHERE run_id = ?) touch one partition.
 *
 * The step index INCLUDEs value so a step-axis series is an index-only scan.
 */
export const runMetricPoints: PluginMigration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE run_metric_points (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        name text NOT NULL,
        step bigint,
        epoch integer,
        ts timestamptz NOT NULL,
        value double precision NOT NULL
      ) PARTITION BY HASH (run_id)`);
    for (let i = 0; i < POINT_PARTITIONS; i += 1) {
      await knex.raw(
        `CREATE TABLE run_metric_points_p${i} PARTITION OF run_metric_points FOR VALUES WITH (MODULUS ${POINT_PARTITIONS}, REMAINDER ${i})`,
      );
    }
    await knex.raw(`CREATE INDEX run_metric_points_step_idx ON run_metric_points (tenant_id, run_id, name, step) INCLUDE (value)`);
    await knex.raw(`CREATE INDEX run_metric_points_ts_idx ON run_metric_points (tenant_id, run_id, name, ts)`);

    // min/max are NULL while a series holds only NaN (NaN sorts above every number in PostgreSQL, so
    // it would otherwise win every max). ±Infinity are real, ordered values and do count: a loss that
    // diverged to +Infinity must show as max = Infinity, not be hidden.
    await knex.raw(`
      CREATE TABLE run_metric_summaries (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        name text NOT NULL,
        last double precision NOT NULL,
        last_step bigint,
        last_ts timestamptz NOT NULL,
        min double precision,
        max double precision,
        count bigint NOT NULL,
        PRIMARY KEY (tenant_id, run_id, name)
      )`);
    // Sorting runs by a metric's last value (GET /runs?sort=-metric.accuracy).
    await knex.raw(`CREATE INDEX run_metric_summaries_name_last_idx ON run_metric_summaries (tenant_id, name, last)`);
  },
  async down(knex) {
    await knex.raw('DROP TABLE IF EXISTS run_metric_summaries');
    await knex.raw('DROP TABLE IF EXISTS run_metric_points');
  },
};
