import { eventsPort, logsPort, objectsPort, runMetricsPort, tracesPort } from '@oneservice/plugin-sdk';
import type { TrainingDeps } from './training-deps.js';

/** What of a run lives in the ports, by the name a deletion reports. */
export const RUN_DATA_PARTS = ['points', 'logs', 'events', 'spans', 'artifacts'] as const;
export type RunDataPart = (typeof RUN_DATA_PARTS)[number];

/**
 * Deletes what every port holds of a run, each port independently (one failing does not stop the
 * others) and idempotently, so calling it again after a failure finishes the job. Returns the parts
 * that could not be deleted, with why.
 */
export async function deleteRunData(deps: Pick<TrainingDeps, 'port'>, tenantId: string, runId: string): Promise<{ part: RunDataPart; error: unknown }[]> {
  const deletes: Record<RunDataPart, () => Promise<void>> = {
    points: async () => (await deps.port(runMetricsPort, tenantId)).deleteRun(runId),
    logs: async () => (await deps.port(logsPort, tenantId)).deleteRun(runId),
    events: async () => (await deps.port(eventsPort, tenantId)).deleteRun(runId),
    spans: async () => (await deps.port(tracesPort, tenantId)).deleteRun(runId),
    artifacts: async () => {
      const objects = await deps.port(objectsPort, tenantId);
      for (const object of await objects.list(`runs/${runId}/`)) await objects.delete(object.key);
    },
  };
  const outcomes = await Promise.allSettled(RUN_DATA_PARTS.map((part) => deletes[part]()));
  return outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ part: RUN_DATA_PARTS[i]!, error: outcome.reason as unknown }] : []));
}
