import type { PluginMigration } from '@oneservice/plugin-sdk';

/** At most this many points in one chunk row; the writer and this migration both cut at it. */
export const CHUNK_POINTS = 1024;

const CHUNK_COLUMNS = 'tenant_id, run_id, name, n, step_lo, step_hi, ts_lo, ts_hi, epoch_lo, epoch_hi, steps, epochs, ts, vals';

/**
 * Points stored in chunks (ADR 0011): one row holds up to CHUNK_POINTS points of one series, its
 * steps, epochs, times (ms since the Unix epoch, as float8 so fractional milliseconds survive exactly)
 * and values packed in arrays, with the range each axis spans so a read finds the chunks that overlap
 * its range. A row per point cost two B-tree entries per point, the largest part of a write; a chunk
 * costs two entries per thousand points. Chunks are never rewritten: a write makes chunks of its own
 * points only, so a late or re-logged point is a chunk that overlaps older ones, and a read merges them.
 * `steps`/`epochs` are NULL when no point of the chunk has one (unnest pads a NULL array with NULLs).
 *
 * Not partitioned: a run's chunks are about a thousandth of its points, and every statement names
 * tenant, run and series, which the two indexes lead with.
 *
 * The points of the row-per-point layout (001) are moved here, cut into chunks in (step, time) order,
 * and its table dropped; summaries and tiles are unchanged, they were derived from the same points.
 */
export const runMetricChunks: PluginMigration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE run_metric_chunks (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        name text NOT NULL,
        n integer NOT NULL,
        step_lo bigint,
        step_hi bigint,
        ts_lo double precision NOT NULL,
        ts_hi double precision NOT NULL,
        epoch_lo integer,
        epoch_hi integer,
        steps bigint[],
        epochs integer[],
        ts double precision[] NOT NULL,
        vals double precision[] NOT NULL
      )`);
    // Stored out of line and uncompressed: pglz compresses steps well (26 → 17 bytes a point) but cost
    // ~2.5 µs a point on write, more than the rest of the write together, and values and times barely
    // compress at all (ADR 0011).
    await knex.raw('ALTER TABLE run_metric_chunks ALTER COLUMN steps SET STORAGE EXTERNAL, ALTER COLUMN epochs SET STORAGE EXTERNAL, ALTER COLUMN ts SET STORAGE EXTERNAL, ALTER COLUMN vals SET STORAGE EXTERNAL');
    await knex.raw('CREATE INDEX run_metric_chunks_step_idx ON run_metric_chunks (tenant_id, run_id, name, step_lo, step_hi)');
    await knex.raw('CREATE INDEX run_metric_chunks_ts_idx ON run_metric_chunks (tenant_id, run_id, name, ts_lo, ts_hi)');

    const old = await knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM pg_class WHERE relname = 'run_metric_points' AND relkind IN ('r', 'p')`);
    if (old.rows.length === 0) return;
    await knex.raw(`
      INSERT INTO run_metric_chunks (${CHUNK_COLUMNS})
      SELECT tenant_id, run_id, name, count(*)::int, min(step), max(step), min(ts_ms), max(ts_ms), min(epoch), max(epoch),
             CASE WHEN count(step) = 0 THEN NULL ELSE array_agg(step ORDER BY o) END,
             CASE WHEN count(epoch) = 0 THEN NULL ELSE array_agg(epoch ORDER BY o) END,
             array_agg(ts_ms ORDER BY o), array_agg(value ORDER BY o)
      FROM (
        SELECT tenant_id, run_id, name, step, epoch, value, (extract(epoch FROM ts) * 1000)::float8 AS ts_ms,
               row_number() OVER (PARTITION BY tenant_id, run_id, name ORDER BY step NULLS FIRST, ts) - 1 AS o
        FROM run_metric_points
      ) p
      GROUP BY tenant_id, run_id, name, o / ${CHUNK_POINTS}`);
    await knex.raw('DROP TABLE run_metric_points');
  },
  async down(knex) {
    // Back to one row per point (001's table and indexes), so a downgrade keeps the data too.
    await knex.raw(`
      CREATE TABLE run_metric_points (
        tenant_id uuid NOT NULL, run_id uuid NOT NULL, name text NOT NULL, step bigint, epoch integer,
        ts timestamptz NOT NULL, value double precision NOT NULL
      ) PARTITION BY HASH (run_id)`);
    for (let i = 0; i < 16; i += 1) {
      await knex.raw(`CREATE TABLE run_metric_points_p${i} PARTITION OF run_metric_points FOR VALUES WITH (MODULUS 16, REMAINDER ${i})`);
    }
    await knex.raw('CREATE INDEX run_metric_points_step_idx ON run_metric_points (tenant_id, run_id, name, step) INCLUDE (value)');
    await knex.raw('CREATE INDEX run_metric_points_ts_idx ON run_metric_points (tenant_id, run_id, name, ts)');
    await knex.raw(`
      INSERT INTO run_metric_points (tenant_id, run_id, name, step, epoch, ts, value)
      SELECT c.tenant_id, c.run_id, c.name, p.step, p.epoch, to_timestamp(p.ts / 1000), p.value
      FROM run_metric_chunks c, unnest(c.steps, c.epochs, c.ts, c.vals) AS p(step, epoch, ts, value)`);
    await knex.raw('DROP TABLE run_metric_chunks');
  },
};
