import type { MetricPoint, MetricWriteResult } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import type { BatchSummary } from './batch-summary.js';
import { summarizeBatch } from './batch-summary.js';
import { CHUNK_COPY_SQL, chunkCopyPayload } from './chunk-copy.js';
import { floatText } from './float-text.js';
import { copyFrom, type PgClient } from './pg-copy.js';
import { TILE_UPSERT_SQL, tileParams, tilesOf } from './tiles.js';

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
    last_ts = CASE WHEN (COALESCE(EXCLUDED.last_step, -1), EXCLUDED.last_ts) >= (COALESCE(s.last_step, -1), s.last_ts) THEN EXCLUDED.last_ts ELSE s.last_ts END`;

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

/**
 * One transaction: the idempotency key, the points as chunk rows (binary COPY), the summary UPSERT and
 * the tile UPSERT. A reader never sees points without their summary and tiles, and a batch is either
 * stored whole with its key or not at all. scripts/bench-training.mjs prints the figures.
 */
export async function writePoints(
  knex: Knex | Knex.Transaction, tenantId: string, points: readonly MetricPoint[], idempotencyKey?: string,
): Promise<MetricWriteResult> {
  if (points.length === 0) return { stored: true };
  const summaries = summarizeBatch(points);
  const tiles = tilesOf(points);
  const { payload } = chunkCopyPayload(tenantId, points);
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
      await copyFrom(client, CHUNK_COPY_SQL, payload);
      await client.query(SUMMARY_SQL, summaryParams(tenantId, summaries));
      await client.query(TILE_UPSERT_SQL, tileParams(tenantId, tiles));
      await client.query('COMMIT');
      return { stored: true };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
}
