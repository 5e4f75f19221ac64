import type { PluginContext } from '@oneservice/plugin-sdk';

/** The slice of the plugin context the services use; tests build it from real stores and fakes. */
export type TrainingDeps = Pick<PluginContext, 'port' | 'live' | 'hooks' | 'logger' | 'audit'>;

export const runTopic = (runId: string) => `run:${runId}`;

/** Every run of a tenant: creations, batches and status changes, for the runs list (GET /runs/stream). */
export const RUNS_TOPIC = 'runs';
