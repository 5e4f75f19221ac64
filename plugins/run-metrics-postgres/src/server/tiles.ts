import type { MetricPoint } from '@oneservice/plugin-sdk';
import { floatText } from './float-text.js';

/** Tile widths per axis, finest first: each is 16× the previous so a bucket never needs more than ~16N tiles. */
export const STEP_TILE_WIDTHS = [16, 256, 4096, 65536] as const;
/**
 * 1 s, 10 s, 1 min, 5 min, 1 h, in milliseconds. At most 12× apart, so a 1,000-bucket read of any
 * range aggregates at most ~12,000 tiles (a 1M-point run at 20 points/s spans 14 h: 50 s buckets read
 * 10 s tiles, 5,000 of them). Migration 003 fills the 10 s and 5 min levels for points stored before them.
 */
export const TIME_TILE_WIDTHS = [1000, 10_000, 60_000, 300_000, 3_600_000] as const;

export type TileAxis = 's' | 't';

export interface Tile {
  runId: string;
  name: string;
  axis: TileAxis;
  width: number;
  bucket: number;
  min: number | null;
  max: number | null;
  sum: number;
  valueCount: number;
  count: number;
  last: number;
  lastX: number;
  lastTs: number;
}

/** The tiles of one series at one (axis, width); `current` is the tile the previous point fell in. */
interface Level {
  axis: TileAxis;
  width: number;
  byBucket: Map<number, Tile>;
  current: Tile | null;
}

function finestLevels(): [Level, Level] {
  return [
    { axis: 's', width: STEP_TILE_WIDTHS[0], byBucket: new Map(), current: null },
    { axis: 't', width: TIME_TILE_WIDTHS[0], byBucket: new Map(), current: null },
  ];
}

function addTo(level: Level, point: MetricPoint, x: number): void {
  const bucket = Math.floor(x / level.width);
  let tile = level.current;
  // Points of a batch mostly arrive in step and time order, so the tile of the previous point is
  // nearly always the one: a comparison instead of a map lookup per point.
  if (tile === null || tile.bucket !== bucket) {
    tile = level.byBucket.get(bucket) ?? null;
    if (tile === null) {
      tile = {
        runId: point.runId, name: point.name, axis: level.axis, width: level.width, bucket,
        min: null, max: null, sum: 0, valueCount: 0, count: 0, last: point.value, lastX: x, lastTs: point.ts,
      };
      level.byBucket.set(bucket, tile);
    }
    level.current = tile;
  }
  if (x > tile.lastX || (x === tile.lastX && point.ts >= tile.lastTs)) {
    tile.last = point.value;
    tile.lastX = x;
    tile.lastTs = point.ts;
  }
  tile.count += 1;
  const value = point.value;
  if (value === value) {
    tile.valueCount += 1;
    tile.sum += value;
    if (tile.min === null || value < tile.min) tile.min = value;
    if (tile.max === null || value > tile.max) tile.max = value;
  }
}

/**
 * A coarser level folded from a finer one, exactly as the points would fold: every width of an axis is
 * a multiple of the one below it, so each fine tile lies in one coarse tile. Min/max/sum/counts add
 * up; "last" is the one with the greatest (last x, last ts) — the tile UPSERT merges the same way.
 */
function coarser(finer: Iterable<Tile>, width: number): Tile[] {
  const byBucket = new Map<number, Tile>();
  for (const tile of finer) {
    const bucket = Math.floor((tile.bucket * tile.width) / width);
    const into = byBucket.get(bucket);
    if (!into) {
      byBucket.set(bucket, { ...tile, width, bucket });
      continue;
    }
    into.count += tile.count;
    into.valueCount += tile.valueCount;
    into.sum += tile.sum;
    if (tile.min !== null && (into.min === null || tile.min < into.min)) into.min = tile.min;
    if (tile.max !== null && (into.max === null || tile.max > into.max)) into.max = tile.max;
    if (tile.lastX > into.lastX || (tile.lastX === into.lastX && tile.lastTs >= into.lastTs)) {
      into.last = tile.last;
      into.lastX = tile.lastX;
      into.lastTs = tile.lastTs;
    }
  }
  return [...byBucket.values()];
}

/**
 * The batch folded into one aggregated row per (series, axis, width, bucket) — the tile upsert costs
 * per bucket, not per point. Each point touches only the finest tile of each axis; the coarser levels
 * are folded from those. Series are found through nested maps keyed by the point's own strings, which
 * avoids building a composite key string per point.
 */
export function tilesOf(points: readonly MetricPoint[]): Tile[] {
  const byRun = new Map<string, Map<string, [Level, Level]>>();
  for (const point of points) {
    let byName = byRun.get(point.runId);
    if (!byName) byRun.set(point.runId, (byName = new Map()));
    let levels = byName.get(point.name);
    if (!levels) byName.set(point.name, (levels = finestLevels()));
    const step = point.step;
    if (step !== null && step !== undefined) addTo(levels[0], point, step);
    addTo(levels[1], point, point.ts);
  }
  const tiles: Tile[] = [];
  for (const byName of byRun.values()) {
    for (const [steps, times] of byName.values()) {
      for (const [finest, widths] of [[steps, STEP_TILE_WIDTHS], [times, TIME_TILE_WIDTHS]] as const) {
        let level: Tile[] = [...finest.byBucket.values()];
        tiles.push(...level);
        for (const width of widths.slice(1)) {
          level = coarser(level, width);
          tiles.push(...level);
        }
      }
    }
  }
  // A stable order makes concurrent batches lock shared tile rows in the same order (no deadlocks).
  return tiles.sort((a, b) =>
    a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1
      : a.axis < b.axis ? -1 : a.axis > b.axis ? 1 : a.width - b.width || a.bucket - b.bucket);
}

export const TILE_UPSERT_SQL = `
  INSERT INTO run_metric_tiles AS t (tenant_id, run_id, name, axis, width, bucket, min, max, sum, value_count, count, last, last_x, last_ts)
  SELECT $1::uuid, u.run_id, u.name, u.axis::"char", u.width, u.bucket, u.min::float8, u.max::float8, u.sum::float8, u.value_count, u.count,
         u.last::float8, u.last_x, u.last_ts
  FROM unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[],
              $12::text[], $13::float8[], $14::float8[])
    AS u(run_id, name, axis, width, bucket, min, max, sum, value_count, count, last, last_x, last_ts)
  ON CONFLICT (tenant_id, run_id, name, axis, width, bucket) DO UPDATE SET
    min = LEAST(t.min, EXCLUDED.min),
    max = GREATEST(t.max, EXCLUDED.max),
    sum = t.sum + EXCLUDED.sum,
    value_count = t.value_count + EXCLUDED.value_count,
    count = t.count + EXCLUDED.count,
    last = CASE WHEN (EXCLUDED.last_x, EXCLUDED.last_ts) >= (t.last_x, t.last_ts) THEN EXCLUDED.last ELSE t.last END,
    last_x = GREATEST(t.last_x, EXCLUDED.last_x),
    last_ts = CASE WHEN (EXCLUDED.last_x, EXCLUDED.last_ts) >= (t.last_x, t.last_ts) THEN EXCLUDED.last_ts ELSE t.last_ts END`;

/**
 * Each column as one array literal: a ~1,400-tile batch spent more time in node-postgres' generic
 * per-element array escaping than PostgreSQL spent parsing the literals. Names are quoted (backslash
 * and double quote escaped); NULL is the bare word; floats go as PostgreSQL's text form (NaN, Infinity).
 */
const literal = (values: readonly (string | number)[]): string => `{${values.join(',')}}`;
const quoted = (text: string): string => `"${text.replace(/[\\"]/g, '\\$&')}"`;
const nullableFloat = (value: number | null): string => (value === null ? 'NULL' : floatText(value));

export function tileParams(tenantId: string, tiles: readonly Tile[]): unknown[] {
  return [
    tenantId,
    literal(tiles.map((t) => t.runId)),
    literal(tiles.map((t) => quoted(t.name))),
    literal(tiles.map((t) => t.axis)),
    literal(tiles.map((t) => t.width)),
    literal(tiles.map((t) => t.bucket)),
    literal(tiles.map((t) => nullableFloat(t.min))),
    literal(tiles.map((t) => nullableFloat(t.max))),
    literal(tiles.map((t) => floatText(t.sum))),
    literal(tiles.map((t) => t.valueCount)),
    literal(tiles.map((t) => t.count)),
    literal(tiles.map((t) => floatText(t.last))),
    literal(tiles.map((t) => t.lastX)),
    literal(tiles.map((t) => t.lastTs)),
  ];
}
