import type { EventRecord, EventSeverity, LogRecord, MetricPoint, SpanRecord, TenantDb } from '@oneservice/plugin-sdk';
import { ProblemError, eventsPort, logsPort, runMetricsPort, tracesPort } from '@oneservice/plugin-sdk';
import type { IngestAnswer, IngestBatch, RunStatus } from './ingest-schema.js';
import { fromWire, toWire } from './json-number.js';
import { ensureProject } from './project-store.js';
import { headerVerdict, type RunHeader } from './run-header.js';
import { deleteRunData } from './run-data.js';
import { applyRunHeader, completeBatch, lockOrCreateRun, storeMetricLast, type RunCreator } from './run-store.js';
import { RUNS_TOPIC, runTopic, type TrainingDeps } from './training-deps.js';

type StatusChange = { runId: string; status: RunStatus; previousStatus: RunStatus };
const SEVERITIES: readonly EventSeverity[] = ['info', 'warning', 'error', 'critical'];

/**
 * Exactly-once for metric points and run headers, at-least-once for logs, events and spans:
 *
 * 1. The batch id is looked up first: a batch seen before never touches its run again (a resend after
 *    `finish` cannot reopen the run or re-apply old params), one seen for another run is a 409, and one
 *    whose side data all stored (`complete`) is answered as a duplicate at once.
 * 2. A new batch id is recorded in ingest_batches (state `metrics`) in one transaction with its run
 *    header, under the run's row lock: the header is applied only when it is newer than what the run
 *    shows (run-header.ts), and a concurrent send of the same batch that loses the race applies nothing.
 * 3. The points go to the run-metrics port with the batch id as idempotency key. The provider stores
 *    the key in the same transaction as the points and reports whether the batch was new, so a resend
 *    — after a crash, a lost answer, or concurrently — never stores them twice, and nothing here holds
 *    a transaction open across the port's write. Points of a batch whose header was older are stored too.
 * 4. Logs, events and spans go to their ports; when all three are written the batch becomes
 *    `complete`. A failure there answers 503 (retryable): the resend finds its points stored and writes
 *    logs/events/spans again — so a log line can appear twice after a partial failure or a concurrent
 *    resend (at-least-once). Spans carry their own ids, which span stores key on.
 * 5. A run being deleted takes no batches (409); one whose deletion started while its batch was being
 *    stored finds that when marking the batch complete, and removes what it wrote.
 */
export class IngestService {
  constructor(
    private readonly deps: TrainingDeps,
    private readonly options: { maxItems: number },
  ) {}

  async ingest(db: TenantDb, batch: IngestBatch, creator: RunCreator | null = null): Promise<IngestAnswer> {
    const columns = batch.metric_columns ?? [];
    const items = batch.metrics.length + columns.length + batch.logs.length + batch.events.length + batch.spans.length;
    if (items > this.options.maxItems) {
      throw new ProblemError(413, 'Payload Too Large', `the batch holds ${items} items; the limit is ${this.options.maxItems} (INGEST_MAX_ITEMS)`, undefined, {
        limit: this.options.maxItems,
        limit_name: 'INGEST_MAX_ITEMS',
      });
    }
    const { runId, seen } = (await this.earlierSight(db, batch)) ?? (await this.recordBatch(db, batch, creator));
    if (seen === 'complete') {
      return { run_id: runId, batch_id: batch.batch_id, duplicate: true, accepted: { metrics: 0, logs: 0, events: 0, spans: 0 } };
    }
    const points: MetricPoint[] = new Array(batch.metrics.length + columns.length);
    let at = 0;
    for (const m of batch.metrics) points[at++] = { runId, name: m.name, value: fromWire(m.value), step: m.step ?? null, epoch: m.epoch ?? null, ts: m.ts };
    for (const m of columns) points[at++] = { runId, name: m.name, value: m.value, step: m.step, epoch: m.epoch, ts: m.ts };
    const port = points.length > 0 ? await this.deps.port(runMetricsPort, db.tenantId) : null;
    const stored = port ? (await port.write(points, { idempotencyKey: batch.batch_id })).stored : false;

    const projectName = batch.run.project;
    try {
      await this.writeSideData(db.tenantId, runId, projectName, batch);
    } catch (error) {
      this.deps.logger.warn({ err: error, tenantId: db.tenantId, runId, batchId: batch.batch_id }, 'side data of a batch failed; the client will resend');
      throw new ProblemError(503, 'Service Unavailable', 'the metrics of this batch are stored but its logs, events or spans could not be; resend the same batch');
    }
    if (!(await completeBatch(db, batch.batch_id))) await this.undoForDeletedRun(db.tenantId, runId, batch.batch_id);

    const accepted = {
      metrics: stored ? points.length : 0,
      logs: batch.logs.length,
      events: batch.events.length,
      spans: batch.spans.length,
    };
    if (stored && port) await storeMetricLast(db, runId, await port.summaries([runId]));
    await this.publish(db.tenantId, runId, { type: 'batch', batch_id: batch.batch_id, counts: accepted, latest: stored ? latestPerMetric(points) : [] });
    await this.deps.hooks.batchIngested.promise({ tenantId: db.tenantId, runId, batchId: batch.batch_id, counts: accepted });
    // Of concurrent sends of one batch, the one whose port write stored the points is the original (it
    // may not be the one that recorded the batch id first); a batch without points, the first to record it.
    const duplicate = points.length > 0 ? !stored : seen !== 'new';
    return { run_id: runId, batch_id: batch.batch_id, duplicate, accepted };
  }

  /** A batch id seen before: 'seen' while its side data is not all stored, 'complete' after. */
  private async earlierSight(db: TenantDb, batch: IngestBatch): Promise<{ runId: string; seen: 'seen' | 'complete' } | null> {
    const row = (await db
      .table('ingest_batches as b')
      .join('runs as r', function joinRun() {
        this.on('r.id', '=', 'b.run_id').andOn('r.tenant_id', '=', 'b.tenant_id');
      })
      .where('b.batch_id', batch.batch_id)
      .first('b.state', 'b.run_id', 'r.client_run_id', 'r.deleting_since')) as { state: string; run_id: string; client_run_id: string; deleting_since: Date | null } | undefined;
    if (!row) return null;
    if (row.client_run_id !== batch.run.client_run_id) {
      throw new ProblemError(409, 'Conflict', `batch ${batch.batch_id} was already stored for another run`);
    }
    if (row.deleting_since !== null) throw beingDeleted(batch);
    return { runId: row.run_id, seen: row.state === 'complete' ? 'complete' : 'seen' };
  }

  /**
   * First sight of a batch id: records it with its run header in one transaction. When a concurrent send
   * of the same batch recorded it first, this one rolls back (its header is not applied twice) and
   * continues as a resend. A status change is announced after the commit, once.
   */
  private async recordBatch(db: TenantDb, batch: IngestBatch, creator: RunCreator | null): Promise<{ runId: string; seen: 'new' | 'seen' | 'complete' }> {
    const projectId = await ensureProject(db, batch.run.project);
    const header = runHeader(batch);
    try {
      const { runId, change, created } = await db.transaction(async (trx) => {
        const run = await lockOrCreateRun(trx, projectId, header, creator);
        if (run.deleting) throw beingDeleted(batch);
        const inserted = await trx.raw<{ rows: unknown[] }>(
          `INSERT INTO ingest_batches (tenant_id, batch_id, run_id, state) VALUES (?, ?, ?, 'metrics')
           ON CONFLICT (tenant_id, batch_id) DO NOTHING RETURNING batch_id`,
          [trx.tenantId, batch.batch_id, run.id],
        );
        if (inserted.rows.length === 0) throw new RecordedConcurrently();
        let change: StatusChange | null = null;
        if (!run.created && headerVerdict(run, header) === 'apply') {
          const status = await applyRunHeader(trx, run.id, header);
          if (status !== run.status) change = { runId: run.id, status, previousStatus: run.status };
        }
        return { runId: run.id, change, created: run.created };
      });
      if (created) await this.publish(db.tenantId, runId, { type: 'created' });
      if (change) await this.announce(db.tenantId, change);
      return { runId, seen: 'new' };
    } catch (error) {
      if (!(error instanceof RecordedConcurrently)) throw error;
      const sight = await this.earlierSight(db, batch);
      if (!sight) throw new Error(`batch ${batch.batch_id} was recorded concurrently but cannot be found`);
      return sight;
    }
  }

  /**
   * The run's deletion started while this batch was being stored, so what it wrote may have missed the
   * deletion's sweep: it removes the run's data itself (the run is going anyway) and answers 409.
   */
  private async undoForDeletedRun(tenantId: string, runId: string, batchId: string): Promise<never> {
    const failures = await deleteRunData(this.deps, tenantId, runId);
    if (failures.length > 0) {
      this.deps.logger.error({ tenantId, runId, batchId, left: failures.map((f) => f.part) }, 'a batch stored while its run was deleted could not be removed');
    }
    throw new ProblemError(409, 'Conflict', `run ${runId} was deleted while batch ${batchId} was being stored; nothing of the batch is kept`);
  }

  private async announce(tenantId: string, change: StatusChange): Promise<void> {
    try {
      await this.deps.hooks.runStatusChanged.promise({ tenantId, ...change });
    } catch (error) {
      // The change is committed and a resend will not announce it again: a failing tap must not fail the batch.
      this.deps.logger.warn({ err: error, tenantId, runId: change.runId }, 'a runStatusChanged tap failed');
    }
    await this.publish(tenantId, change.runId, { type: 'status', status: change.status, previous_status: change.previousStatus });
  }

  private async writeSideData(tenantId: string, runId: string, service: string, batch: IngestBatch): Promise<void> {
    const writes: Promise<void>[] = [];
    if (batch.logs.length > 0) {
      const logs: LogRecord[] = batch.logs.map((l) => ({
        ts: l.ts, level: l.level, message: l.message, stream: l.stream ?? null, fields: l.fields ?? {}, runId, service,
      }));
      writes.push(this.deps.port(logsPort, tenantId).then((port) => port.write(logs)));
    }
    if (batch.events.length > 0) {
      const events: EventRecord[] = batch.events.map((e) => {
        const severity = typeof e.payload?.severity === 'string' && (SEVERITIES as readonly string[]).includes(e.payload.severity) ? (e.payload.severity as EventSeverity) : 'info';
        const message = typeof e.payload?.message === 'string' ? e.payload.message : null;
        return { ts: e.ts, type: e.type, source: 'run', severity, message, runId, payload: e.payload ?? {}, attributes: { run_id: runId } };
      });
      writes.push(this.deps.port(eventsPort, tenantId).then((port) => port.write(events)));
    }
    if (batch.spans.length > 0) {
      const spans: SpanRecord[] = batch.spans.map((s) => ({
        traceId: s.trace_id, spanId: s.span_id, parentSpanId: s.parent_span_id ?? null, name: s.name, service,
        start: s.start, end: s.end, status: s.status, runId, attributes: { ...(s.attributes ?? {}), 'run.id': runId },
      }));
      writes.push(this.deps.port(tracesPort, tenantId).then((port) => port.writeSpans(spans)));
    }
    await Promise.all(writes);
  }

  /** To the run's own topic (its page) and, with its id, to the tenant's runs topic (the runs list). */
  private async publish(tenantId: string, runId: string, payload: Record<string, unknown>): Promise<void> {
    try {
      await Promise.all([this.deps.live.publish(tenantId, runTopic(runId), payload), this.deps.live.publish(tenantId, RUNS_TOPIC, { ...payload, run_id: runId })]);
    } catch (error) {
      // Live views are a convenience: a failed notification must not fail a stored batch.
      this.deps.logger.warn({ err: error, tenantId, runId }, 'live publish failed');
    }
  }
}

const beingDeleted = (batch: IngestBatch) =>
  new ProblemError(409, 'Conflict', `run ${batch.run.client_run_id} is being deleted; it takes no more batches`);

/** Rolls back a batch's transaction when a concurrent send of the same batch id recorded it first. */
class RecordedConcurrently extends Error {}

function runHeader(batch: IngestBatch): RunHeader {
  const run = batch.run;
  return {
    clientRunId: run.client_run_id, name: run.name, framework: run.framework, tags: run.tags, params: run.params,
    status: run.status, startedAt: run.started_at, endedAt: run.ended_at, revision: run.revision,
  };
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
