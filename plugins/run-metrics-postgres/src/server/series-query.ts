import type { Series, SeriesBucket, SeriesQuery, TenantDb } from '@oneservice/plugin-sdk';
import { toFloat } from './float-text.js';
import { STEP_TILE_WIDTHS, TIME_TILE_WIDTHS } from './tiles.js';

interface AxisSql {
  /** The axis value of an unnested point (alias p), as float8. */
  x: string;
  /** The point column and the chunk columns bounding it, for range predicates. */
  column: string;
  lo: string;
  hi: string;
  tileAxis: 's' | 't' | null;
  tileWidths: readonly number[];
  integral: boolean;
}

const AXES: Record<SeriesQuery['by'], AxisSql> = {
  step: { x: 'p.step::float8', column: 'p.step', lo: 'c.step_lo', hi: 'c.step_hi', tileAxis: 's', tileWidths: STEP_TILE_WIDTHS, integral: true },
  epoch: { x: 'p.epoch::float8', column: 'p.epoch', lo: 'c.epoch_lo', hi: 'c.epoch_hi', tileAxis: null, tileWidths: [], integral: true },
  time: { x: 'p.ts', column: 'p.ts', lo: 'c.ts_lo', hi: 'c.ts_hi', tileAxis: 't', tileWidths: TIME_TILE_WIDTHS, integral: false },
};

const SERIES_KEY = 'tenant_id = ? AND run_id = ? AND name = ?';
const CHUNK_KEY = 'c.tenant_id = ? AND c.run_id = ? AND c.name = ?';

interface SqlPart {
  sql: string;
  bindings: (string | number)[];
}

/**
 * The points of one series with from ≤ x < to, as rows (x, ts, value): the chunks whose span
 * overlaps the range (the chunk index leads with the lower end, the upper end is checked in the
 * index too), unnested, then the points themselves filtered. Overlapping chunks (late or re-logged
 * points) simply contribute their points.
 */
function pointsIn(axis: AxisSql, key: string[], from: number, to: number): SqlPart {
  return {
    sql: `SELECT ${axis.x} AS x, p.ts, p.value
          FROM run_metric_chunks c, unnest(c.steps, c.epochs, c.ts, c.vals) AS p(step, epoch, ts, value)
          WHERE ${CHUNK_KEY} AND ${axis.lo} < ? AND ${axis.hi} >= ? AND ${axis.column} >= ? AND ${axis.column} < ?`,
    bindings: [...key, to, from, from, to],
  };
}

/**
 * The lowest and highest x of the series in O(1) rows, however many chunks it has (small live batches
 * make many small chunks): the lowest is the first entry of the chunk index led by the axis' lower
 * end; the highest is the last x of the series' highest finest tile, kept exact on write. Epochs have
 * no tiles, so their upper end is a pass over the series' chunk rows, as it was over the points
 * before. The chunks' own maximum also stands in where a series has no tiles (points moved by
 * migration 005 without their tiles).
 */
async function axisBounds(db: TenantDb, query: SeriesQuery, axis: AxisSql): Promise<{ lo: number; hi: number } | null> {
  const key = [db.tenantId, query.runId, query.name];
  const fromChunks = `(SELECT max(${axis.hi}) FROM run_metric_chunks c WHERE ${CHUNK_KEY})`;
  const hi = axis.tileAxis
    ? { sql: `COALESCE((SELECT last_x FROM run_metric_tiles WHERE ${SERIES_KEY} AND axis = ? AND width = ? ORDER BY bucket DESC LIMIT 1), ${fromChunks})`, bindings: [...key, axis.tileAxis, axis.tileWidths[0]!, ...key] }
    : { sql: fromChunks, bindings: key };
  const result = await db.raw<{ rows: { lo: unknown; hi: unknown }[] }>(
    `SELECT (SELECT min(${axis.lo}) FROM run_metric_chunks c WHERE ${CHUNK_KEY}) AS lo, ${hi.sql} AS hi`,
    [...key, ...hi.bindings],
  );
  const row = result.rows[0];
  if (!row || row.lo === null || row.hi === null || row.lo === undefined || row.hi === undefined) return null;
  return { lo: toFloat(row.lo), hi: toFloat(row.hi) };
}

interface BucketRow {
  b: unknown;
  min: unknown;
  max: unknown;
  mean: unknown;
  last: unknown;
  count: unknown;
}

function nullable(value: unknown): number {
  return value === null || value === undefined ? Number.NaN : toFloat(value);
}

/**
 * A downsampled series that never hides a spike: every bucket carries min and max (NaN ignored) next
 * to mean and last. Buckets sit on a grid aligned to multiples of their width; the part of the range
 * that whole tiles cover is read from run_metric_tiles, the ragged ends from the points in the chunks.
 * When the range holds no more points than requested buckets, the points come back exactly.
 */
export async function querySeries(db: TenantDb, query: SeriesQuery): Promise<Series> {
  const axis = AXES[query.by];
  const empty: Series = { runId: query.runId, name: query.name, by: query.by, exact: true, buckets: [] };
  const bounds = await axisBounds(db, query, axis);
  if (!bounds) return empty;
  const lo = query.from ?? bounds.lo;
  const hi = query.to ?? bounds.hi;
  if (hi < lo) return empty;
  const points = Math.max(1, query.points);
  // Exclusive upper end; integral axes cover [lo, hi] as [lo, hi + 1).
  // Time: one microsecond past hi, the resolution timestamptz keeps.
  const end = axis.integral ? Math.floor(hi) + 1 : hi + 0.001;
  const start = axis.integral ? Math.ceil(lo) : lo;
  const span = Math.max(1, end - start);
  // N-1 so that a grid aligned to multiples of the width still spans at most N buckets.
  let width = Math.max(1, Math.ceil(span / Math.max(1, points - 1)));
  const tileWidth = [...axis.tileWidths].reverse().find((w) => w <= width) ?? null;
  if (tileWidth !== null) width = Math.ceil(width / tileWidth) * tileWidth;

  const key = [db.tenantId, query.runId, query.name];
  const raw = (from: number, to: number): SqlPart => {
    const inRange = pointsIn(axis, key, from, to);
    return {
      sql: `SELECT floor(x / ?) AS b,
                   CASE WHEN value = 'NaN' THEN NULL ELSE value END AS min,
                   CASE WHEN value = 'NaN' THEN NULL ELSE value END AS max,
                   CASE WHEN value = 'NaN' THEN 0 ELSE value END AS sum,
                   CASE WHEN value = 'NaN' THEN 0 ELSE 1 END AS value_count,
                   1 AS count, value AS last, x AS last_x, ts AS last_ts
            FROM (${inRange.sql}) r`,
      bindings: [width, ...inRange.bindings],
    };
  };
  const parts: SqlPart[] = [];
  const tileFrom = tileWidth === null ? 0 : Math.ceil(start / tileWidth);
  const tileTo = tileWidth === null ? 0 : Math.floor(end / tileWidth);
  if (tileWidth !== null && tileFrom < tileTo && axis.tileAxis) {
    parts.push({
      sql: `SELECT floor(bucket * ?::float8 / ?) AS b, min, max, sum, value_count, count, last, last_x, last_ts
            FROM run_metric_tiles WHERE ${SERIES_KEY} AND axis = ? AND width = ? AND bucket >= ? AND bucket < ?`,
      bindings: [tileWidth, width, ...key, axis.tileAxis, tileWidth, tileFrom, tileTo],
    });
    if (start < tileFrom * tileWidth) parts.push(raw(start, tileFrom * tileWidth));
    if (tileTo * tileWidth < end) parts.push(raw(tileTo * tileWidth, end));
  } else {
    parts.push(raw(start, end));
  }
  const result = await db.raw<{ rows: BucketRow[] }>(
    `WITH parts AS (${parts.map((p) => p.sql).join(' UNION ALL ')})
     SELECT b::float8 AS b, min(min) AS min, max(max) AS max, sum(sum) / NULLIF(sum(value_count), 0) AS mean,
            (array_agg(last ORDER BY last_x DESC, last_ts DESC))[1] AS last, sum(count)::float8 AS count
     FROM parts GROUP BY b ORDER BY b`,
    parts.flatMap((p) => p.bindings),
  );
  const buckets: SeriesBucket[] = result.rows.map((row) => ({
    x: toFloat(row.b) * width,
    min: nullable(row.min),
    max: nullable(row.max),
    mean: nullable(row.mean),
    last: nullable(row.last),
    count: toFloat(row.count),
  }));
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total > points) return { runId: query.runId, name: query.name, by: query.by, exact: false, buckets };

  const inRange = pointsIn(axis, key, start, end);
  const exact = await db.raw<{ rows: { x: unknown; value: unknown }[] }>(`SELECT x, value FROM (${inRange.sql}) r ORDER BY x, ts`, inRange.bindings);
  return {
    runId: query.runId,
    name: query.name,
    by: query.by,
    exact: true,
    buckets: exact.rows.map((row) => {
      const value = toFloat(row.value);
      return { x: toFloat(row.x), min: value, max: value, mean: value, last: value, count: 1 };
    }),
  };
}
