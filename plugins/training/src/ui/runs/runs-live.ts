/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { RunStatus, RunsStreamPoint } from '../api-types.js';

export interface RunsLiveHandlers {
  created(runId: string): void;
  status(runId: string, status: RunStatus): void;
  metrics(runId: string, points: RunsStreamPoint[]): void;
}

type StreamEvent = { run_id: string; status?: RunStatus; points?: RunsStreamPoint[] };

/** Follows GET /runs/stream (every run of the tenant) until the returned function is called. */
export function followRuns(ctx: ShellContext, on: RunsLiveHandlers): () => void {
  return ctx.api.events('/runs/stream', {
    onEvent(event, data) {
      let parsed: StreamEvent;
      try {
        parsed = JSON.parse(data) as StreamEvent;
      } catch {
        return;
      }
      if (event === 'created') on.created(parsed.run_id);
      else if (event === 'status' && parsed.status) on.status(parsed.run_id, parsed.status);
      else if (event === 'metrics' && parsed.points) on.metrics(parsed.run_id, parsed.points);
    },
  });
}
