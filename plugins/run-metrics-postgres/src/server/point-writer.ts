import type { MetricPoint } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import type { BatchSummary } from './batch-summary.js';
import { summarizeBatch } from './batch-summary.js';
import { floatText, isoMicros } from './float-text.js';
import { copyFrom, type PgClient } from './pg-copy.js';
import { TILE_UPSERT_SQL, tileParams, tilesOf } from './tiles.js';

/**
 * `copy` streams the batch with COPY FROM STDIN (text format); `unnest` sends one
 * INSERT … SELECT FROM unnest(arrays) statement. Both run in one transaction with the summary UPSERT,
 * so a reader never sees points without their summary and tiles. See bench/bench-training.mjs for the figures.
 */
export type WriteMethod = 'copy' | 'unnest';

/** COPY text format: backslash, tab, newline and carriage return must be escaped in text fields. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function copyPayload(tenantId: string, points: readonly MetricPoint[]): Buffer {
  const lines: string[] = new Array(points.length);
  for (let i = 0; i < points.length; i += 1) {
    const p = points[i]!;
    lines[i] = `${tenantId}\t${p.runId}\t${copyText(p.name)}\t${p.step ?? '\\N'}\t${p.epoch ?? '\\N'}\t${isoMicros(p.ts)}\t${floatText(p.value)}`;
  }
  lines.push('');
  return Buffer.from(lines.join('\n'), 'utf8');
}

const COPY_SQL = 'COPY run_metric_points (tenant_id, run_id, name, step, epoch, ts, value) FROM STDIN';

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

export async function writePoints(knex: Knex | Knex.Transaction, tenantId: string, points: readonly MetricPoint[], method: WriteMethod): Promise<void> {
  if (points.length === 0) return;
  const summaries = summarizeBatch(points);
  const client = (await knex.client.acquireConnection()) as PgClient;
  try {
    await client.query('BEGIN');
    try {
      if (method === 'copy') {
        await copyFrom(client, COPY_SQL, copyPayload(tenantId, points));
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
      await client.query(SUMMARY_SQL, summaryParams(tenantId, summaries));
      await client.query(TILE_UPSERT_SQL, tileParams(tenantId, tilesOf(points)));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
}
