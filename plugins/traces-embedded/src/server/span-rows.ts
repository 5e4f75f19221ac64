import { ProblemError, type SpanRecord } from '@oneservice/plugin-sdk';

export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  service: string;
  start_ms: number;
  end_ms: number;
  status: SpanRecord['status'];
  run_id: string | null;
  attributes: Record<string, unknown> | null;
}

const STATUSES: ReadonlyArray<SpanRecord['status']> = ['ok', 'error', 'unset'];
/** PostgreSQL text and jsonb cannot hold U+0000. */
const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

export function toSpanRow(span: SpanRecord): Record<string, unknown> {
  const bad = (why: string) => new ProblemError(400, 'Bad Request', `span ${span.spanId ?? '?'} of trace ${span.traceId ?? '?'}: ${why}`);
  if (!span.traceId || !span.spanId) throw bad('traceId and spanId are required');
  if (!span.name || !span.service) throw bad('name and service are required');
  if (!Number.isFinite(span.start) || !Number.isFinite(span.end)) throw bad('start and end must be epoch milliseconds');
  if (span.end < span.start) throw bad('end is before start');
  if (!STATUSES.includes(span.status)) throw bad(`status must be one of ${STATUSES.join(', ')}`);
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    // OTLP marks a root with an empty parent id; store it as no parent.
    parent_span_id: span.parentSpanId ? span.parentSpanId : null,
    name: withoutNul(span.name),
    service: withoutNul(span.service),
    start_ms: span.start,
    end_ms: span.end,
    status: span.status,
    run_id: span.runId ?? null,
    attributes: JSON.stringify(span.attributes ?? {}, (_key, value: unknown) => (typeof value === 'string' ? withoutNul(value) : value)),
  };
}

export function fromSpanRow(row: SpanRow): SpanRecord {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    service: row.service,
    start: row.start_ms,
    end: row.end_ms,
    status: row.status,
    runId: row.run_id,
    attributes: row.attributes ?? {},
  };
}

/**
 * The JSON values a string tag may stand for: spans keep typed attributes (500, true), while a
 * search names tags as text, as Jaeger does. Each variant is a containment the GIN index answers.
 */
export function tagVariants(key: string, value: string): string[] {
  const variants: unknown[] = [value];
  if (value.trim() !== '' && Number.isFinite(Number(value))) variants.push(Number(value));
  if (value === 'true' || value === 'false') variants.push(value === 'true');
  return variants.map((v) => JSON.stringify({ [key]: v }));
}
