import { ProblemError, type MetricSummary, type Principal, type TenantDb, runMetricsPort } from '@oneservice/plugin-sdk';
import { runView, type RunView } from './api-shapes.js';
import { deleteRunData } from './run-data.js';
import { deleteRunRows, getRun, markRunDeleting } from './run-store.js';
import type { TrainingDeps } from './training-deps.js';

const SPARKLINE_POINTS = 32;

/** Run operations that span the plugin's tables and the ports. */
export class RunService {
  constructor(private readonly deps: TrainingDeps) {}

  async summaries(tenantId: string, runIds: string[]): Promise<MetricSummary[]> {
    if (runIds.length === 0) return [];
    return (await this.deps.port(runMetricsPort, tenantId)).summaries(runIds);
  }

  /**
   * One metric of each run, downsampled to SPARKLINE_POINTS bucket means for the runs list. The port
   * answers from its coarsest tiles, so this stays cheap however long the runs are.
   */
  async sparklines(tenantId: string, runIds: string[], name: string): Promise<Map<string, (number | null)[]>> {
    const port = await this.deps.port(runMetricsPort, tenantId);
    const series = await Promise.all(runIds.map((runId) => port.series({ runId, name, by: 'step', points: SPARKLINE_POINTS })));
    return new Map(series.map((s) => [s.runId, s.buckets.map((b) => (Number.isFinite(b.mean) ? b.mean : null))]));
  }

  async view(db: TenantDb, runId: string): Promise<RunView> {
    const row = await getRun(db, runId);
    return runView(row, await this.summaries(db.tenantId, [row.id]));
  }

  /**
   * Marks the run as being deleted (ingest refuses its batches from then on, and a batch already being
   * stored removes what it wrote), deletes everything of it the ports hold, and only then its rows, and
   * audits it. When a port fails, the run stays (still marked), the answer is a 503 naming what is
   * left, a `failure` audit entry records it, and deleting again finishes the job: a run is never gone
   * while its data stays behind.
   */
  async delete(db: TenantDb, runId: string, principal: Principal, ip: string): Promise<void> {
    const run = await getRun(db, runId);
    const audit = { tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'run.delete', resource: 'run', resourceId: run.id, ip };
    const details = { name: run.name, client_run_id: run.client_run_id, project: run.project_name };
    await markRunDeleting(db, run.id);
    const failures = await deleteRunData(this.deps, db.tenantId, run.id);
    if (failures.length > 0) {
      const left = failures.map((failure) => failure.part);
      this.deps.logger.warn({ tenantId: db.tenantId, runId: run.id, errors: failures.map((f) => ({ part: f.part, error: String(f.error) })) }, 'a run was deleted only in part');
      await this.deps.audit.record({ ...audit, outcome: 'failure', details: { ...details, left } });
      throw new ProblemError(503, 'Service Unavailable', `run ${run.id} is not deleted yet: its ${left.join(', ')} could not be deleted (the rest is gone); delete it again to finish`, undefined, { left });
    }
    await deleteRunRows(db, run.id);
    await this.deps.audit.record({ ...audit, outcome: 'success', details });
  }
}
