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

function levelsFor(): Level[] {
  const levels: Level[] = [];
  for (const width of STEP_TILE_WIDTHS) levels.push({ axis: 's', width, byBucket: new Map(), current: null });
  for (const width of TIME_TILE_WIDTHS) levels.push({ axis: 't', width, byBucket: new Map(), current: null });
  return levels;
}

function addTo(level: Level, point: MetricPoint, x: number): void {
  const bucket = Math.floor(x / level.width);
  let tile = level.current;
  // Points of a batch mostly arrive in step and time order, so the tile of the previous point is
  // nearly always the one: a comparison instead of a map lookup per point and level.
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
 * The batch folded into one aggregated row per (series, axis, width, bucket) — the tile upsert costs
 * per bucket, not per point. Series are found through nested maps keyed by the point's own strings,
 * which avoids building a composite key string per point.
 */
export function tilesOf(points: readonly MetricPoint[]): Tile[] {
  const byRun = new Map<string, Map<string, Level[]>>();
  for (const point of points) {
    let byName = byRun.get(point.runId);
    if (!byName) byRun.set(point.runId, (byName = new Map()));
    let levels = byName.get(point.name);
    if (!levels) byName.set(point.name, (levels = levelsFor()));
    const step = point.step;
    for (let i = 0; i < levels.length; i += 1) {
      const level = levels[i]!;
      if (level.axis === 's') {
        if (step !== null && step !== undefined) addTo(level, point, step);
      } else addTo(level, point, point.ts);
    }
  }
  const tiles: Tile[] = [];
  for (const byName of byRun.values()) for (const levels of byName.values()) for (const level of levels) for (const tile of level.byBucket.values()) tiles.push(tile);
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

export function tileParams(tenantId: string, tiles: readonly Tile[]): unknown[] {
  return [
    tenantId,
    tiles.map((t) => t.runId),
    tiles.map((t) => t.name),
    tiles.map((t) => t.axis),
    tiles.map((t) => t.width),
    tiles.map((t) => t.bucket),
    tiles.map((t) => (t.min === null ? null : floatText(t.min))),
    tiles.map((t) => (t.max === null ? null : floatText(t.max))),
    tiles.map((t) => floatText(t.sum)),
    tiles.map((t) => t.valueCount),
    tiles.map((t) => t.count),
    tiles.map((t) => floatText(t.last)),
    tiles.map((t) => t.lastX),
    tiles.map((t) => t.lastTs),
  ];
}
