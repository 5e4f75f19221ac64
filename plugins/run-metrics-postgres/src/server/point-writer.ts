import type { MetricPoint, MetricWriteResult } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import type { BatchSummary } from './batch-summary.js';
import { summarizeBatch } from './batch-summary.js';
import { binaryCopyPayload } from './copy-binary.js';
import { floatText } from './float-text.js';
import { copyFrom, type PgClient } from './pg-copy.js';
import { TILE_UPSERT_SQL, tileParams, tilesOf } from './tiles.js';

/**
 * `copy` sends the batch with COPY FROM STDIN in binary format; `unnest` sends one
 * INSERT … SELECT FROM unnest(arrays) statement. Both run in one transaction with the summary and tile
 * UPSERTs and the idempotency key, so a reader never sees points without their summary and tiles, and
 * a batch is either stored whole with its key or not at all. scripts/bench-training.mjs prints the figures.
 */
export type WriteMethod = 'copy' | 'unnest';

const COPY_SQL = 'COPY run_metric_points (tenant_id, run_id, name, step, epoch, ts, value) FROM STDIN (FORMAT binary)';

const UNNEST_SQL = `
  INSERT INTO run_metric_points (tenant_id, run_id, name, step, epoch, ts, value)
  SELECT $1::uuid, u.run_id, u.name, u.step, u.epoch, to_timestamp(u.ts / 1000.0), u.value::float8
  FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::int[], $6::float8[], $7::text[]) AS u(run_id, name, step, epoch, ts, value)`;

// LEAST/GREATEST skip NULLs, which is how an all-NaN batch leaves min/max alone. The last_* columns
// read the old row (s.*) in every SET expression, so the three stay consistent.
const SUMMARY_SQL = `
  INSERT INTO run_metric_summaries AS s (tenant_id, run_id, name, last, last_step, last_ts, min, max, count)
  SELECT $1::uuid, u.run_id, u.name, u.last::float8, u.last_step, to_timestamp(u.last_ts / 1000.0), u.min::float8, u.max::float8, u.count
  FROM unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::float8[], $7::text[], $8::text[], $9::bigint[])
    AS u(run_id, name, last, last_step, last_ts, min, max, count)
  ON CONFLICT (tenant_id, run_id, name) DO UPDATE SET
    count = s.count + EXCLUDED.count,
    min = LEAST(s.min, EXCLUDED.min),
    max = GREATEST(s.max, EXCLUDED.max),
    last = CASE WHEN (COALESCE(EXCLUDED.last_step, -1), EXCLUDED.last_ts) >= (COALESCE(s.last_step, -1), s.last_ts) THEN EXCLUDED.last ELSE s.last END,
    last_step = CASE WHEN (COALESCE(EXCLUDED.last_step, -1), EXCLUDED.last_ts) >= (COALESCE(s.last_step, -1), s.last_ts) THEN EXCLUDED.last_step ELSE s.last_step END,
    last_ts = CASE WHEN (COALESCE(EXCLUDED.last_step, -1), EXCLUDED.last_ts) >= (COALESCE(s.last_step, -1), s.last_ts) THEN EXCLUDED.last_ts ELSE s.last_ts END
  RETURNING run_id, name, count::float8 AS count`;

/**
 * Right after a bulk load a points partition has no statistics yet, and the planner then ties the step
 * and ts indexes (same leading columns) and may scan a whole series through the ts index for a step
 * range: 1M points read in ~1 s instead of ~30 ms. Autovacuum fixes that within minutes; until then,
 * the partition is analyzed here whenever a series of the batch crosses a power of two from 2^14 up
 * — about a dozen times in a series' life, each a sampled ANALYZE of one partition.
 */
const ANALYZE_FROM = 2 ** 14;

function crossedPowerOfTwo(before: number, after: number): boolean {
  return after >= ANALYZE_FROM && Math.floor(Math.log2(Math.max(1, before))) < Math.floor(Math.log2(after));
}

async function analyzeGrownPartitions(client: PgClient, tenantId: string, grown: Set<string>): Promise<void> {
  for (const runId of grown) {
    try {
      const found = await client.query('SELECT tableoid::regclass::text AS partition FROM run_metric_points WHERE tenant_id = $1 AND run_id = $2 LIMIT 1', [tenantId, runId]);
      const partition = found.rows[0]?.partition;
      // The name comes from the catalog (run_metric_points_pN), never from input.
      if (typeof partition === 'string' && /^run_metric_points_p\d+$/.test(partition)) await client.query(`ANALYZE ${partition}`);
    } catch {
      // Statistics are an optimisation; autovacuum gathers them anyway. The points are committed.
    }
  }
}

function summaryParams(tenantId: string, summaries: readonly BatchSummary[]): unknown[] {
  return [
    tenantId,
    summaries.map((s) => s.runId),
    summaries.map((s) => s.name),
    summaries.map((s) => floatText(s.last)),
    summaries.map((s) => s.lastStep),
    summaries.map((s) => s.lastTs),
    summaries.map((s) => (s.min === null ? null : floatText(s.min))),
    summaries.map((s) => (s.max === null ? null : floatText(s.max))),
    summaries.map((s) => s.count),
  ];
}

// ON CONFLICT waits for a concurrent transaction holding the same key: when it commits this returns
// no row (the points are stored), when it rolls back this one takes the key.
const KEY_SQL = `INSERT INTO run_metric_batches (tenant_id, batch_key, run_id, points) VALUES ($1, $2, $3, $4)
  ON CONFLICT (tenant_id, batch_key) DO NOTHING RETURNING batch_key`;

export async function writePoints(
  knex: Knex | Knex.Transaction, tenantId: string, points: readonly MetricPoint[], method: WriteMethod, idempotencyKey?: string,
): Promise<MetricWriteResult> {
  if (points.length === 0) return { stored: true };
  const summaries = summarizeBatch(points);
  const tiles = tilesOf(points);
  const payload = method === 'copy' ? binaryCopyPayload(tenantId, points) : null;
  const client = (await knex.client.acquireConnection()) as PgClient;
  try {
    await client.query('BEGIN');
    try {
      if (idempotencyKey !== undefined) {
        const claimed = await client.query(KEY_SQL, [tenantId, idempotencyKey, points[0]!.runId, points.length]);
        if (claimed.rows.length === 0) {
          await client.query('ROLLBACK');
          return { stored: false };
        }
      }
      if (payload) {
        await copyFrom(client, COPY_SQL, payload);
      } else {
        await client.query(UNNEST_SQL, [
          tenantId,
          points.map((p) => p.runId),
          points.map((p) => p.name),
          points.map((p) => p.step ?? null),
          points.map((p) => p.epoch ?? null),
          points.map((p) => p.ts),
          points.map((p) => floatText(p.value)),
        ]);
      }
      const totals = await client.query(SUMMARY_SQL, summaryParams(tenantId, summaries));
      await client.query(TILE_UPSERT_SQL, tileParams(tenantId, tiles));
      await client.query('COMMIT');
      const added = new Map(summaries.map((s) => [`${s.runId}\u0000${s.name}`, s.count]));
      const grown = new Set<string>();
      for (const row of totals.rows) {
        const after = Number(row.count);
        const batch = added.get(`${String(row.run_id)}\u0000${String(row.name)}`) ?? 0;
        if (crossedPowerOfTwo(after - batch, after)) grown.add(String(row.run_id));
      }
      if (grown.size > 0) await analyzeGrownPartitions(client, tenantId, grown);
      return { stored: true };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
}
