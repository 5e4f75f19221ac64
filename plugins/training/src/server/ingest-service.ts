import type { EventRecord, EventSeverity, LogRecord, MetricPoint, SpanRecord, TenantDb } from '@oneservice/plugin-sdk';
import { ProblemError } from '@oneservice/plugin-sdk';
import type { IngestAnswer, IngestBatch } from './ingest-schema.js';
import { fromWire, toWire } from './json-number.js';
import { ensureProject } from './project-store.js';
import { storeMetricLast, upsertRun } from './run-store.js';
import { runTopic, type TrainingDeps } from './training-deps.js';

export const DEFAULT_MAX_ITEMS = 50_000;
const SEVERITIES: readonly EventSeverity[] = ['info', 'warning', 'error', 'critical'];

/**
 * Exactly-once for metric points, at-least-once for logs, events and spans:
 *
 * 1. The batch id is recorded in ingest_batches (state `metrics`) first, with its run: a batch id seen
 *    before for another run is a 409, one whose side data all stored (`complete`) is a duplicate.
 * 2. The points go to the run-metrics port with the batch id as idempotency key. The provider stores
 *    the key in the same transaction as the points and reports whether the batch was new, so a resend
 *    — after a crash, a lost answer, or concurrently — never stores them twice, and nothing here holds
 *    a transaction open across the port's write.
 * 3. Logs, events and spans go to their ports; when all three are written the batch becomes
 *    `complete`. A failure there answers 503 (retryable): the resend finds its points stored and writes
 *    logs/events/spans again — so a log line can appear twice after a partial failure or a concurrent
 *    resend (at-least-once). Spans carry their own ids, which span stores key on.
 */
export class IngestService {
  constructor(
    private readonly deps: TrainingDeps,
    private readonly options: { maxItems: number },
  ) {}

  async ingest(db: TenantDb, batch: IngestBatch): Promise<IngestAnswer> {
    const columns = batch.metric_columns ?? [];
    const items = batch.metrics.length + columns.length + batch.logs.length + batch.events.length + batch.spans.length;
    if (items > this.options.maxItems) {
      throw new ProblemError(413, 'Payload Too Large', `the batch holds ${items} items; the limit is ${this.options.maxItems} (INGEST_MAX_ITEMS)`, undefined, {
        limit: this.options.maxItems,
        limit_name: 'INGEST_MAX_ITEMS',
      });
    }
    const projectId = await ensureProject(db, batch.run.project);
    const run = await upsertRun(db, {
      clientRunId: batch.run.client_run_id,
      projectId,
      name: batch.run.name,
      framework: batch.run.framework,
      tags: batch.run.tags,
      params: batch.run.params,
      status: batch.run.status,
      startedAt: batch.run.started_at,
      endedAt: batch.run.ended_at,
    });
    if (run.previousStatus !== null && run.previousStatus !== run.status) {
      await this.deps.hooks.runStatusChanged.promise({ tenantId: db.tenantId, runId: run.runId, status: run.status, previousStatus: run.previousStatus });
      await this.publish(db.tenantId, run.runId, { type: 'status', status: run.status, previous_status: run.previousStatus });
    }

    const seen = await this.recordBatch(db, batch.batch_id, run.runId);
    if (seen === 'complete') {
      return { run_id: run.runId, batch_id: batch.batch_id, duplicate: true, accepted: { metrics: 0, logs: 0, events: 0, spans: 0 } };
    }
    const points: MetricPoint[] = new Array(batch.metrics.length + columns.length);
    let at = 0;
    for (const m of batch.metrics) points[at++] = { runId: run.runId, name: m.name, value: fromWire(m.value), step: m.step ?? null, epoch: m.epoch ?? null, ts: m.ts };
    for (const m of columns) points[at++] = { runId: run.runId, name: m.name, value: m.value, step: m.step, epoch: m.epoch, ts: m.ts };
    const port = points.length > 0 ? await this.deps.port('run-metrics', db.tenantId) : null;
    const stored = port ? (await port.write(points, { idempotencyKey: batch.batch_id })).stored : false;

    const projectName = batch.run.project;
    try {
      await this.writeSideData(db.tenantId, run.runId, projectName, batch);
    } catch (error) {
      this.deps.logger.warn({ err: error, tenantId: db.tenantId, runId: run.runId, batchId: batch.batch_id }, 'side data of a batch failed; the client will resend');
      throw new ProblemError(503, 'Service Unavailable', 'the metrics of this batch are stored but its logs, events or spans could not be; resend the same batch');
    }
    await db.table('ingest_batches').where('ingest_batches.batch_id', batch.batch_id).update({ state: 'complete' });

    const accepted = {
      metrics: stored ? points.length : 0,
      logs: batch.logs.length,
      events: batch.events.length,
      spans: batch.spans.length,
    };
    if (stored && port) await storeMetricLast(db, run.runId, await port.summaries([run.runId]));
    await this.publish(db.tenantId, run.runId, { type: 'batch', batch_id: batch.batch_id, counts: accepted, latest: stored ? latestPerMetric(points) : [] });
    await this.deps.hooks.batchIngested.promise({ tenantId: db.tenantId, runId: run.runId, batchId: batch.batch_id, counts: accepted });
    // A duplicate: the batch id was seen before, or (concurrently) another request stored its points.
    const duplicate = seen === 'seen' || (points.length > 0 && !stored);
    return { run_id: run.runId, batch_id: batch.batch_id, duplicate, accepted };
  }

  /** 'new': first sight of this batch id; 'seen': seen before, side data not all stored; 'complete': all stored before. */
  private async recordBatch(db: TenantDb, batchId: string, runId: string): Promise<'new' | 'seen' | 'complete'> {
    const inserted = await db.knex.raw<{ rows: unknown[] }>(
      `INSERT INTO ingest_batches (tenant_id, batch_id, run_id, state) VALUES (?, ?, ?, 'metrics')
       ON CONFLICT (tenant_id, batch_id) DO NOTHING RETURNING batch_id`,
      [db.tenantId, batchId, runId],
    );
    if (inserted.rows.length > 0) return 'new';
    const existing = (await db.table('ingest_batches').where('ingest_batches.batch_id', batchId).first('state', 'run_id')) as { state: string; run_id: string } | undefined;
    if (existing && existing.run_id !== runId) {
      throw new ProblemError(409, 'Conflict', `batch ${batchId} was already stored for another run`);
    }
    return existing?.state === 'complete' ? 'complete' : 'seen';
  }

  private async writeSideData(tenantId: string, runId: string, service: string, batch: IngestBatch): Promise<void> {
    const writes: Promise<void>[] = [];
    if (batch.logs.length > 0) {
      const logs: LogRecord[] = batch.logs.map((l) => ({
        ts: l.ts, level: l.level, message: l.message, stream: l.stream ?? null, fields: l.fields ?? {}, runId, service,
      }));
      writes.push(this.deps.port('logs', tenantId).then((port) => port.write(logs)));
    }
    if (batch.events.length > 0) {
      const events: EventRecord[] = batch.events.map((e) => {
        const severity = typeof e.payload?.severity === 'string' && (SEVERITIES as readonly string[]).includes(e.payload.severity) ? (e.payload.severity as EventSeverity) : 'info';
        const message = typeof e.payload?.message === 'string' ? e.payload.message : null;
        return { ts: e.ts, type: e.type, source: 'run', severity, message, runId, payload: e.payload ?? {}, attributes: { run_id: runId } };
      });
      writes.push(this.deps.port('events', tenantId).then((port) => port.write(events)));
    }
    if (batch.spans.length > 0) {
      const spans: SpanRecord[] = batch.spans.map((s) => ({
        traceId: s.trace_id, spanId: s.span_id, parentSpanId: s.parent_span_id ?? null, name: s.name, service,
        start: s.start, end: s.end, status: s.status, runId, attributes: { ...(s.attributes ?? {}), 'run.id': runId },
      }));
      writes.push(this.deps.port('traces', tenantId).then((port) => port.writeSpans(spans)));
    }
    await Promise.all(writes);
  }

  private async publish(tenantId: string, runId: string, payload: Record<string, unknown>): Promise<void> {
    try {
      await this.deps.live.publish(tenantId, runTopic(runId), payload);
    } catch (error) {
      // Live views are a convenience: a failed notification must not fail a stored batch.
      this.deps.logger.warn({ err: error, tenantId, runId }, 'live publish failed');
    }
  }
}

/**
 * The newest point of each metric in a batch: what a live chart needs to move, small enough for a
 * PostgreSQL NOTIFY payload (8 kB) — a chart that needs every point re-reads the series.
 */
export function latestPerMetric(points: MetricPoint[], maxNames = 40) {
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    const current = latest.get(p.name);
    if (!current || (p.step ?? -1) > (current.step ?? -1) || ((p.step ?? -1) === (current.step ?? -1) && p.ts >= current.ts)) latest.set(p.name, p);
  }
  return [...latest.values()].slice(0, maxNames).map((p) => ({ name: p.name, value: toWire(p.value), step: p.step ?? null, epoch: p.epoch ?? null, ts: p.ts }));
}
