import { ProblemError, type MetricSummary, type Principal, type TenantDb } from '@oneservice/plugin-sdk';
import { runView, type RunView } from './api-shapes.js';
import { deleteRunRows, getRun } from './run-store.js';
import type { TrainingDeps } from './training-deps.js';

/** Run operations that span the plugin's tables and the ports. */
export class RunService {
  constructor(private readonly deps: TrainingDeps) {}

  async summaries(tenantId: string, runIds: string[]): Promise<MetricSummary[]> {
    if (runIds.length === 0) return [];
    return (await this.deps.port('run-metrics', tenantId)).summaries(runIds);
  }

  async view(db: TenantDb, runId: string): Promise<RunView> {
    const row = await getRun(db, runId);
    return runView(row, await this.summaries(db.tenantId, [row.id]));
  }

  /**
   * Deletes everything of the run the ports hold — points, logs, events, spans, artifact files — and
   * only then its rows, and audits it. Each port's delete is idempotent and the run stays until all of
   * them succeeded, so when one fails the answer is a 503 naming what is left (recorded in a `failure`
   * audit entry too) and DELETE again finishes the job; a run is never gone while its data stays behind.
   */
  async delete(db: TenantDb, runId: string, principal: Principal, ip: string): Promise<void> {
    const run = await getRun(db, runId);
    const tenantId = db.tenantId;
    const parts: Record<string, () => Promise<void>> = {
      points: async () => (await this.deps.port('run-metrics', tenantId)).deleteRun(run.id),
      logs: async () => (await this.deps.port('logs', tenantId)).deleteRun(run.id),
      events: async () => (await this.deps.port('events', tenantId)).deleteRun(run.id),
      spans: async () => (await this.deps.port('traces', tenantId)).deleteRun(run.id),
      artifacts: async () => {
        const objects = await this.deps.port('objects', tenantId);
        for (const object of await objects.list(`runs/${run.id}/`)) await objects.delete(object.key);
      },
    };
    const names = Object.keys(parts);
    const outcomes = await Promise.allSettled(Object.values(parts).map((deletePart) => deletePart()));
    const left = names.filter((_, i) => outcomes[i]?.status === 'rejected');
    const audit = { tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'run.delete', resource: 'run', resourceId: run.id, ip };
    const details = { name: run.name, client_run_id: run.client_run_id, project: run.project_name };
    if (left.length > 0) {
      const errors = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ part: names[i], error: String(outcome.reason) }] : []));
      this.deps.logger.warn({ tenantId, runId: run.id, errors }, 'a run was deleted only in part');
      await this.deps.audit.record({ ...audit, outcome: 'failure', details: { ...details, left } });
      throw new ProblemError(503, 'Service Unavailable', `run ${run.id} is not deleted yet: its ${left.join(', ')} could not be deleted (the rest is gone); delete it again to finish`, undefined, { left });
    }
    await deleteRunRows(db, run.id);
    await this.deps.audit.record({ ...audit, outcome: 'success', details });
  }
}
