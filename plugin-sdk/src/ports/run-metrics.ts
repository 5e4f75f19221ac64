import { definePort } from './port-ref.js';

export interface MetricPoint {
  runId: string;
  name: string;
  /** NaN and ±Infinity are legal values and are kept. */
  value: number;
  step?: number | null;
  epoch?: number | null;
  /** Milliseconds since the Unix epoch. */
  ts: number;
}

export type SeriesAxis = 'step' | 'epoch' | 'time';

export interface SeriesQuery {
  runId: string;
  name: string;
  by: SeriesAxis;
  from?: number;
  to?: number;
  /** Bucket count; when the range holds fewer points they come back exactly. */
  points: number;
}

export interface SeriesBucket {
  /** Bucket start on the chosen axis (ms for time). */
  x: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  count: number;
}

export interface Series {
  runId: string;
  name: string;
  by: SeriesAxis;
  exact: boolean;
  buckets: SeriesBucket[];
}

export interface MetricSummary {
  runId: string;
  name: string;
  last: number;
  min: number;
  max: number;
  lastStep: number | null;
  count: number;
}

export interface MetricWriteOptions {
  /**
   * Makes the write exactly-once: the provider stores this key in the same transaction as the points,
   * and a write with a key it has already stored stores nothing. Keys are unique per tenant (the
   * ingest batch id); a concurrent write with the same key waits for the first and then finds it.
   */
  idempotencyKey?: string;
}

export interface MetricWriteResult {
  /** false when the idempotency key had been stored before, so none of these points were written. */
  stored: boolean;
}

export interface RunMetricsPort {
  write(points: MetricPoint[], options?: MetricWriteOptions): Promise<MetricWriteResult>;
  series(query: SeriesQuery): Promise<Series>;
  summaries(runIds: string[]): Promise<MetricSummary[]>;
  deleteRun(runId: string): Promise<void>;
}

export const runMetricsPort = definePort<RunMetricsPort>('run-metrics');
