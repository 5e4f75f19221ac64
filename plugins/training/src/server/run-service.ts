import type { MetricSummary, Principal, TenantDb } from '@oneservice/plugin-sdk';
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
   * Deletes the run's points and artifact objects, then its rows, and audits it. Logs, events and
   * spans stay until their ports' retention removes them: those ports have no delete-by-run.
   */
  async delete(db: TenantDb, runId: string, principal: Principal, ip: string): Promise<void> {
    const run = await getRun(db, runId);
    await (await this.deps.port('run-metrics', db.tenantId)).deleteRun(run.id);
    const objects = await this.deps.port('objects', db.tenantId);
    for (const object of await objects.list(`runs/${run.id}/`)) await objects.delete(object.key);
    await deleteRunRows(db, run.id);
    await this.deps.audit.record({
      tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'run.delete', resource: 'run',
      resourceId: run.id, outcome: 'success', ip, details: { name: run.name, client_run_id: run.client_run_id, project: run.project_name },
    });
  }
}
