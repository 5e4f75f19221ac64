import type { PluginMigration } from '@oneservice/plugin-sdk';

/** The time tile levels added after 002 (1 s, 1 min and 1 h were there from the start). */
const ADDED_WIDTHS = [10_000, 300_000] as const;

/**
 * Back-fills the 10 s and 5 min time tiles from the 1 s tiles, which every stored point has, so runs
 * ingested before these levels existed read as fast as new ones. Each new tile folds the 1 s tiles it
 * covers exactly as the write path folds points: min/max/sum/counts add up; "last" is the one with the
 * greatest (last_x, last_ts).
 */
export const finerTimeTiles: PluginMigration = {
  async up(knex) {
    // The widths are this file's own integer constants, so they are written into the SQL (one GROUP BY expression).
    for (const width of ADDED_WIDTHS) {
      await knex.raw(
        `INSERT INTO run_metric_tiles (tenant_id, run_id, name, axis, width, bucket, min, max, sum, value_count, count, last, last_x, last_ts)
         SELECT tenant_id, run_id, name, 't', ${width}, floor(bucket * 1000.0 / ${width})::bigint,
                min(min), max(max), sum(sum), sum(value_count), sum(count),
                (array_agg(last ORDER BY last_x DESC, last_ts DESC))[1], max(last_x),
                (array_agg(last_ts ORDER BY last_x DESC, last_ts DESC))[1]
         FROM run_metric_tiles WHERE axis = 't' AND width = 1000
         GROUP BY tenant_id, run_id, name, floor(bucket * 1000.0 / ${width})::bigint
         ON CONFLICT (tenant_id, run_id, name, axis, width, bucket) DO NOTHING`,
      );
    }
  },
  async down(knex) {
    await knex.raw(`DELETE FROM run_metric_tiles WHERE axis = 't' AND width = ANY(?::bigint[])`, [[...ADDED_WIDTHS]]);
  },
};
