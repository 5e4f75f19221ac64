/// <reference lib="dom" />
// The training API's answers as the pages read them (the server's zod schemas in
// src/server/api-shapes.ts are the source; these mirror only what the pages use).

export interface MetricSummary {
  name: string;
  last: number | string | null;
  min: number | string | null;
  max: number | string | null;
  last_step: number | null;
  count: number;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';

export interface Run {
  id: string;
  project_id: string;
  project: string;
  client_run_id: string;
  name: string;
  status: RunStatus;
  framework: string | null;
  params: Record<string, unknown>;
  tags: Record<string, unknown>;
  notes: string | null;
  started_at: string;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
  metrics: MetricSummary[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** A number on the wire: NaN and ±Infinity travel as strings. */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';
export type SeriesAxis = 'step' | 'epoch' | 'time';

/** One bucket of a downsampled series (`GET /runs/:id/metrics?name=`); exact series have one point per bucket. */
export interface SeriesBucket {
  x: number;
  min: WireNumber;
  max: WireNumber;
  mean: WireNumber;
  last: WireNumber;
  count: number;
}
export interface MetricSeries {
  run_id: string;
  name: string;
  by: SeriesAxis;
  exact: boolean;
  buckets: SeriesBucket[];
}
export interface MetricNames {
  run_id: string;
  names: string[];
}

/** The latest point per metric of an ingest batch (the run stream's `metrics` event). */
export interface LivePoint {
  name: string;
  value: WireNumber;
  step: number | null;
  epoch: number | null;
  ts: number;
}

/** A run as GET /runs answers it for the runs page (creator and, with `sparkline=`, a small series). */
export interface RunListItem extends Run {
  user: string | null;
  sparkline?: (number | null)[];
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  run_count?: number;
}

/** Events of GET /runs/stream (the tenant's runs, for the runs list). */
export interface RunsStreamPoint {
  name: string;
  value: number | string | null;
  step: number | null;
  epoch: number | null;
  ts: number;
}
export interface LiveMetrics {
  run_id: string;
  points: LivePoint[];
}

export interface RunLogRecord {
  id: string;
  ts: number;
  level: string;
  message: string;
  fields?: Record<string, unknown>;
  stream?: string | null;
}
export interface RunEventRecord {
  id: string;
  ts: number;
  type: string;
  source: string;
  severity: string;
  message?: string | null;
}

