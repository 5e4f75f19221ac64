import type { PluginMigration } from '@oneservice/plugin-sdk';

/**
 * Pre-aggregated tiles of each series, kept current on write, so a 1,000-bucket read of a 1M-point
 * series aggregates a few thousand tiles instead of scanning a million rows. A tile is the span
 * [bucket·width, (bucket+1)·width) on one axis ('s' = step, 't' = time in ms) and holds exactly what a
 * downsampled bucket needs: min/max over non-NaN values (so a spike is never averaged away), the sum
 * and count of non-NaN values (mean), the total count, and the last point (by step then time).
 * Same partitioning rationale as the points table.
 */
export const runMetricTiles: PluginMigration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE run_metric_tiles (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        name text NOT NULL,
        axis "char" NOT NULL,
        width bigint NOT NULL,
        bucket bigint NOT NULL,
        min double precision,
        max double precision,
        sum double precision NOT NULL,
        value_count bigint NOT NULL,
        count bigint NOT NULL,
        last double precision NOT NULL,
        last_x double precision NOT NULL,
        last_ts double precision NOT NULL,
        PRIMARY KEY (tenant_id, run_id, name, axis, width, bucket)
      ) PARTITION BY HASH (run_id)`);
    for (let i = 0; i < 16; i += 1) {
      await knex.raw(`CREATE TABLE run_metric_tiles_p${i} PARTITION OF run_metric_tiles FOR VALUES WITH (MODULUS 16, REMAINDER ${i})`);
    }
  },
  async down(knex) {
    await knex.raw('DROP TABLE IF EXISTS run_metric_tiles');
  },
};
