import { EPOCH_MILLIS_MAX, LOG_LEVELS, int4 } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { wireNumberSchema } from './json-number.js';
import { metricColumnsSchema } from './metric-columns.js';

export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

// Times go to timestamptz columns: bounded where a Date and PostgreSQL both hold them (to year 9999).
const millis = z.number().finite().nonnegative().max(EPOCH_MILLIS_MAX);
const counter = z.number().int().nonnegative().nullish();
const metricName = z.string().min(1).max(200);

export const ingestRunSchema = z.object({
  client_run_id: z.string().min(1).max(200),
  project: z.string().min(1).max(200).default('default'),
  name: z.string().min(1).max(300).optional(),
  framework: z.string().max(100).nullish(),
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  started_at: millis.nullish(),
  ended_at: millis.nullish(),
  /**
   * Orders this run's headers: strictly increasing per client_run_id, across processes (monitor_sdk
   * sends max(now in µs, last + 1)). A header at or below the highest one applied changes nothing.
   */
  revision: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});

export const ingestMetricSchema = z.object({
  name: metricName,
  value: wireNumberSchema,
  step: counter,
  epoch: int4().nonnegative().nullish(),
  ts: millis,
});

export const ingestLogSchema = z.object({
  ts: millis,
  level: z.enum(LOG_LEVELS).default('info'),
  message: z.string().max(64 * 1024),
  stream: z.string().max(50).nullish(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

export const ingestEventSchema = z.object({
  ts: millis,
  type: z.string().min(1).max(200),
  payload: z.record(z.string(), z.unknown()).optional(),
});

export const ingestSpanSchema = z
  .object({
    trace_id: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lower-case hex digits'),
    span_id: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lower-case hex digits'),
    parent_span_id: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lower-case hex digits').nullish(),
    name: z.string().min(1).max(300),
    start: millis,
    end: millis,
    status: z.enum(['ok', 'error', 'unset']).default('unset'),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((span) => span.end >= span.start, { message: 'end is before start', path: ['end'] });

/**
 * The batch body. Arrays carry no max here: too many items is a 413 naming the limit (checked in the
 * handler), not a 400.
 */
export const ingestBatchSchema = z.object({
  batch_id: z.string().min(1).max(200),
  run: ingestRunSchema,
  metrics: z.array(ingestMetricSchema).default([]),
  /** The same points as parallel arrays (faster to encode and check); may come with `metrics`. */
  metric_columns: metricColumnsSchema.optional(),
  logs: z.array(ingestLogSchema).default([]),
  events: z.array(ingestEventSchema).default([]),
  spans: z.array(ingestSpanSchema).default([]),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const acceptedCountsSchema = z.object({
  metrics: z.number().int(),
  logs: z.number().int(),
  events: z.number().int(),
  spans: z.number().int(),
});

export const ingestAnswerSchema = z.object({
  run_id: z.string().uuid(),
  batch_id: z.string(),
  duplicate: z.boolean(),
  accepted: acceptedCountsSchema,
});
export type IngestAnswer = z.infer<typeof ingestAnswerSchema>;
