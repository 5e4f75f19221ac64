import type { Series, SeriesBucket, SeriesQuery, TenantDb } from '@oneservice/plugin-sdk';
import { toFloat } from './float-text.js';
import { STEP_TILE_WIDTHS, TIME_TILE_WIDTHS } from './tiles.js';

interface AxisSql {
  /** The axis value of a raw point, as float8. */
  x: string;
  /** A range predicate on raw points that an index can serve; `?`-bound lo (inclusive) and hi (exclusive). */
  range: string;
  /** Converts an axis value to the binding the range predicate expects. */
  bind(value: number): number | string;
  tileAxis: 's' | 't' | null;
  tileWidths: readonly number[];
  integral: boolean;
}

const AXES: Record<SeriesQuery['by'], AxisSql> = {
  step: { x: 'step::float8', range: 'step >= ? AND step < ?', bind: (v) => v, tileAxis: 's', tileWidths: STEP_TILE_WIDTHS, integral: true },
  epoch: { x: 'epoch::float8', range: 'epoch >= ? AND epoch < ?', bind: (v) => v, tileAxis: null, tileWidths: [], integral: true },
  time: {
    x: '(extract(epoch FROM ts) * 1000)::float8',
    range: 'ts >= to_timestamp(?::float8 / 1000) AND ts < to_timestamp(?::float8 / 1000)',
    bind: (v) => v,
    tileAxis: 't',
    tileWidths: TIME_TILE_WIDTHS,
    integral: false,
  },
};

const SERIES_KEY = 'tenant_id = ? AND run_id = ? AND name = ?';

async function axisBounds(db: TenantDb, query: SeriesQuery, axis: AxisSql): Promise<{ lo: number; hi: number } | null> {
  const key = [db.tenantId, query.runId, query.name];
  if (axis.tileAxis) {
    // The finest tiles bound the series: hi is the last x of the highest tile (kept exact on write),
    // lo the smallest x inside the lowest tile — a range scan of at most one tile's points. This
    // beats ORDER BY … LIMIT 1 on the points, which the planner does not always serve from the index.
    const width = axis.tileWidths[0]!;
    const tiles = await db.raw<{ rows: { first: unknown; last: unknown; hi: unknown }[] }>(
      `SELECT t.first, t.last, (SELECT last_x FROM run_metric_tiles WHERE ${SERIES_KEY} AND axis = ? AND width = ? AND bucket = t.last) AS hi
       FROM (SELECT min(bucket) AS first, max(bucket) AS last FROM run_metric_tiles WHERE ${SERIES_KEY} AND axis = ? AND width = ?) t`,
      [...key, axis.tileAxis, width, ...key, axis.tileAxis, width],
    );
    const row = tiles.rows[0];
    if (!row || row.first === null || row.hi === null) return null;
    const first = toFloat(row.first) * width;
    const lo = await db.raw<{ rows: { lo: unknown }[] }>(
      `SELECT min(${axis.x}) AS lo FROM run_metric_points WHERE ${SERIES_KEY} AND ${axis.range}`,
      [...key, axis.bind(first), axis.bind(first + width)],
    );
    const loValue = lo.rows[0]?.lo;
    return { lo: loValue === null || loValue === undefined ? first : toFloat(loValue), hi: toFloat(row.hi) };
  }
  const result = await db.raw<{ rows: { lo: unknown; hi: unknown }[] }>(
    `SELECT min(${axis.x}) AS lo, max(${axis.x}) AS hi FROM run_metric_points WHERE ${SERIES_KEY} AND ${query.by} IS NOT NULL`,
    key,
  );
  const row = result.rows[0];
  if (!row || row.lo === null || row.hi === null) return null;
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
 * that whole tiles cover is read from run_metric_tiles, the ragged ends from the raw points.
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
  const raw = (from: number, to: number) => ({
    sql: `SELECT floor(${axis.x} / ?) AS b,
                 CASE WHEN value = 'NaN' THEN NULL ELSE value END AS min,
                 CASE WHEN value = 'NaN' THEN NULL ELSE value END AS max,
                 CASE WHEN value = 'NaN' THEN 0 ELSE value END AS sum,
                 CASE WHEN value = 'NaN' THEN 0 ELSE 1 END AS value_count,
                 1 AS count, value AS last, ${axis.x} AS last_x, (extract(epoch FROM ts) * 1000)::float8 AS last_ts
          FROM run_metric_points WHERE ${SERIES_KEY} AND ${axis.range}`,
    bindings: [width, ...key, axis.bind(from), axis.bind(to)],
  });
  const parts: { sql: string; bindings: (string | number)[] }[] = [];
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

  const exact = await db.raw<{ rows: { x: unknown; value: unknown }[] }>(
    `SELECT ${axis.x} AS x, value FROM run_metric_points WHERE ${SERIES_KEY} AND ${axis.range} ORDER BY 1, ts`,
    [...key, axis.bind(start), axis.bind(end)],
  );
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
