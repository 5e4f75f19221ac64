import { INT4_MAX, INT4_MIN, ids, queryEpochMillis, type MetricSummary, type Series } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { RUN_STATUSES } from './ingest-schema.js';
import { toWire, wireNumberSchema } from './json-number.js';
import type { ProjectRow } from './project-store.js';
import type { RunRow } from './run-store.js';

export const idParams = ids.params();

/**
 * A window edge on a series axis, from a query string: ms since the epoch on the time axis, a step or an epoch
 * otherwise; bounded so that every axis's column (timestamptz, bigint, int4) can compare with it.
 */
export const windowBound = queryEpochMillis().optional();

/** Steps (bigint) and epochs (int4) are whole numbers: a fractional or out-of-range edge is refused, not sent to PostgreSQL. */
export function checkAxisWindow(query: { by: 'step' | 'epoch' | 'time'; from?: number | undefined; to?: number | undefined }, zctx: z.RefinementCtx): void {
  if (query.by === 'time') return;
  for (const edge of ['from', 'to'] as const) {
    const value = query[edge];
    if (value === undefined) continue;
    if (!Number.isInteger(value)) zctx.addIssue({ code: 'custom', path: [edge], message: `a ${query.by} is a whole number` });
    else if (query.by === 'epoch' && (value < INT4_MIN || value > INT4_MAX)) zctx.addIssue({ code: 'custom', path: [edge], message: `an epoch is between ${INT4_MIN} and ${INT4_MAX}` });
  }
}

export const metricSummarySchema = z.object({
  name: z.string(),
  last: wireNumberSchema,
  min: wireNumberSchema,
  max: wireNumberSchema,
  last_step: z.number().nullable(),
  count: z.number(),
});

export const runSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  project: z.string(),
  client_run_id: z.string(),
  name: z.string(),
  status: z.enum(RUN_STATUSES),
  framework: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  tags: z.record(z.string(), z.unknown()),
  notes: z.string().nullable(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** The email of the user whose session or API token sent the run's first batch; null when unknown. */
  user: z.string().nullable(),
  metrics: z.array(metricSummarySchema),
  /** With `sparkline=<metric>` on the list: that metric downsampled to a few bucket means (null: a gap or NaN/Inf). */
  sparkline: z.array(z.number().nullable()).optional(),
});
export type RunView = z.infer<typeof runSchema>;

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  created_at: z.string(),
  run_count: z.number().int().optional(),
});

export const bucketSchema = z.object({
  x: z.number(),
  min: wireNumberSchema,
  max: wireNumberSchema,
  mean: wireNumberSchema,
  last: wireNumberSchema,
  count: z.number(),
});

export const seriesSchema = z.object({
  run_id: z.string(),
  name: z.string(),
  by: z.enum(['step', 'epoch', 'time']),
  exact: z.boolean(),
  buckets: z.array(bucketSchema),
});

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export function summaryView(s: MetricSummary): z.infer<typeof metricSummarySchema> {
  return { name: s.name, last: toWire(s.last), min: toWire(s.min), max: toWire(s.max), last_step: s.lastStep, count: s.count };
}

export function runView(row: RunRow, summaries: MetricSummary[], sparkline?: (number | null)[]): RunView {
  return {
    id: row.id,
    project_id: row.project_id,
    project: row.project_name,
    client_run_id: row.client_run_id,
    name: row.name,
    status: row.status,
    framework: row.framework,
    params: row.params,
    tags: row.tags,
    notes: row.notes,
    started_at: iso(row.started_at)!,
    ended_at: iso(row.ended_at),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    user: row.created_by_email ?? null,
    metrics: summaries.filter((s) => s.runId === row.id).map(summaryView),
    ...(sparkline ? { sparkline } : {}),
  };
}

export function projectView(row: ProjectRow): z.infer<typeof projectSchema> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    created_at: new Date(row.created_at).toISOString(),
    ...(row.run_count !== undefined ? { run_count: Number(row.run_count) } : {}),
  };
}

export function seriesView(series: Series): z.infer<typeof seriesSchema> {
  return {
    run_id: series.runId,
    name: series.name,
    by: series.by,
    exact: series.exact,
    buckets: series.buckets.map((b) => ({ x: b.x, min: toWire(b.min), max: toWire(b.max), mean: toWire(b.mean), last: toWire(b.last), count: b.count })),
  };
}

/** Port records are interfaces (no index signature); this gives them the open shape the loose response schemas describe. */
export const plain = <T extends object>(value: T): Record<string, unknown> & T => ({ ...value }) as Record<string, unknown> & T;
