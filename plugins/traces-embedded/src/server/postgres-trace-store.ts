import {
  ProblemError,
  scopeToTenant,
  type ServiceDependency,
  type SpanRecord,
  type TenantDb,
  type TraceSearch,
  type TraceSummary,
  type TracesPort,
} from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import { fromSpanRow, tagVariants, toSpanRow, type SpanRow } from './span-rows.js';

const INSERT_CHUNK = 2000;
export const DEFAULT_TRACE_LIMIT = 20;
export const MAX_TRACE_LIMIT = 1000;

interface AggregateRow {
  trace_id: string;
  start: number;
  end: number;
  span_count: string | number;
  error_count: string | number;
  services: string[];
}

/** The traces port on the platform's PostgreSQL, bound to one tenant. */
export class PostgresTraceStore implements TracesPort {
  private readonly db: TenantDb;

  constructor(knex: Knex, tenantId: string) {
    this.db = scopeToTenant(knex, tenantId);
  }

  async writeSpans(spans: SpanRecord[]): Promise<void> {
    if (spans.length === 0) return;
    const rows = spans.map(toSpanRow);
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        // Exporters retry: a span already stored (same tenant, trace and span id) is kept as it was.
        await tx.insert('trace_spans', rows.slice(i, i + INSERT_CHUNK)).onConflict(['tenant_id', 'trace_id', 'span_id']).ignore();
      }
    });
  }

  /**
   * A trace matches when one of its spans satisfies every filter at once (service, operation, run,
   * tags, start time, duration) — Jaeger's semantics, so both providers answer the same question.
   * Newest traces first; the summaries cover all spans of each matching trace.
   */
  async findTraces(search: TraceSearch): Promise<TraceSummary[]> {
    const limit = clampLimit(search.limit);
    const matching = this.db.table('trace_spans').select('trace_id').groupBy('trace_id').orderByRaw('min(start_ms) DESC').limit(limit);
    if (search.service !== undefined) matching.where('service', search.service);
    if (search.operation !== undefined) matching.where('name', search.operation);
    if (search.runId !== undefined) matching.where('run_id', search.runId);
    if (search.start !== undefined) matching.where('start_ms', '>=', finite(search.start, 'start'));
    if (search.end !== undefined) matching.where('start_ms', '<=', finite(search.end, 'end'));
    if (search.minDurationMs !== undefined) matching.whereRaw('end_ms - start_ms >= ?', [finite(search.minDurationMs, 'minDurationMs')]);
    if (search.maxDurationMs !== undefined) matching.whereRaw('end_ms - start_ms <= ?', [finite(search.maxDurationMs, 'maxDurationMs')]);
    for (const [key, value] of Object.entries(search.tags ?? {})) {
      const variants = tagVariants(key, value);
      matching.whereRaw(`(${variants.map(() => 'attributes @> ?::jsonb').join(' OR ')})`, variants);
    }
    const traceIds = ((await matching) as Array<{ trace_id: string }>).map((row) => row.trace_id);
    if (traceIds.length === 0) return [];

    const aggregates = (await this.db
      .table('trace_spans')
      .whereIn('trace_id', traceIds)
      .groupBy('trace_id')
      .select('trace_id')
      .select(this.db.raw('min(start_ms) AS start, max(end_ms) AS "end", count(*) AS span_count'))
      .select(this.db.raw("count(*) FILTER (WHERE status = 'error') AS error_count"))
      .select(this.db.raw('array_agg(DISTINCT service ORDER BY service) AS services'))) as AggregateRow[];
    const roots = await this.roots(traceIds);
    return aggregates
      .map((row) => {
        const root = roots.get(row.trace_id);
        return {
          traceId: row.trace_id,
          rootName: root?.name ?? '',
          rootService: root?.service ?? '',
          start: row.start,
          durationMs: row.end - row.start,
          spanCount: Number(row.span_count),
          services: row.services,
          errorCount: Number(row.error_count),
        };
      })
      .sort((a, b) => b.start - a.start);
  }

  async getTrace(traceId: string): Promise<SpanRecord[] | null> {
    const rows = (await this.db.table('trace_spans').where('trace_id', traceId).orderBy([{ column: 'start_ms' }, { column: 'span_id' }])) as SpanRow[];
    return rows.length === 0 ? null : rows.map(fromSpanRow);
  }

  async services(): Promise<string[]> {
    const rows = (await this.db.table('trace_spans').distinct('service').orderBy('service')) as Array<{ service: string }>;
    return rows.map((row) => row.service);
  }

  async operations(service: string): Promise<string[]> {
    const rows = (await this.db.table('trace_spans').where('service', service).distinct('name').orderBy('name')) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  }

  /** Calls between services: a child span whose parent span belongs to another service, by child start time. */
  async dependencies(range: { start: number; end: number }): Promise<ServiceDependency[]> {
    const rows = (await this.db
      .table('trace_spans as c')
      .join('trace_spans as p', (on) => on.on('p.tenant_id', 'c.tenant_id').andOn('p.trace_id', 'c.trace_id').andOn('p.span_id', 'c.parent_span_id'))
      .whereBetween('c.start_ms', [finite(range.start, 'start'), finite(range.end, 'end')])
      .whereRaw('p.service <> c.service')
      .groupBy('p.service', 'c.service')
      .select({ parent: 'p.service', child: 'c.service' })
      .count({ calls: '*' })
      .orderBy([{ column: 'p.service' }, { column: 'c.service' }])) as Array<{ parent: string; child: string; calls: string | number }>;
    return rows.map((row) => ({ parent: row.parent, child: row.child, callCount: Number(row.calls) }));
  }

  /** Served by the (tenant_id, run_id, start_ms) index. */
  async deleteRun(runId: string): Promise<void> {
    await this.db.table('trace_spans').where('run_id', runId).delete();
  }

  /** Each trace's root: a span without a parent in the trace (the earliest if several, or if none). */
  private async roots(traceIds: string[]): Promise<Map<string, { name: string; service: string }>> {
    const rows = (await this.db
      .table('trace_spans as s')
      .whereIn('s.trace_id', traceIds)
      .distinctOn('s.trace_id')
      .select('s.trace_id', 's.name', 's.service')
      .orderBy('s.trace_id')
      .orderByRaw(
        '(s.parent_span_id IS NULL OR NOT EXISTS (SELECT 1 FROM trace_spans p WHERE p.tenant_id = s.tenant_id AND p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)) DESC, s.start_ms',
      )) as Array<{ trace_id: string; name: string; service: string }>;
    return new Map(rows.map((row) => [row.trace_id, { name: row.name, service: row.service }]));
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_TRACE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new ProblemError(400, 'Bad Request', 'limit must be a positive integer');
  return Math.min(limit, MAX_TRACE_LIMIT);
}

function finite(value: number, name: string): number {
  if (!Number.isFinite(value)) throw new ProblemError(400, 'Bad Request', `${name} must be a finite number`);
  return value;
}
