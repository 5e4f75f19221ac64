/// <reference lib="dom" />
import type { ApiClient } from '@oneservice/plugin-sdk/ui';

/** One Server-Sent Event of the run stream (`hello`, `metrics`, `batch`, `status`). */
export interface RunStreamEvent {
  event: string;
  data: unknown;
}
type Listener = (e: RunStreamEvent) => void;

interface Shared {
  listeners: Set<Listener>;
  stop: () => void;
}
const streams = new Map<string, Shared>();

/**
 * Listens to `GET /runs/:id/stream`. The page host (status) and the Charts tab (points) share one
 * connection per run. After a reconnect the first event is a `hello` with the run's status, so a
 * change missed while disconnected is still noticed.
 */
export function subscribeRunStream(api: ApiClient, runId: string, listener: Listener): () => void {
  let shared = streams.get(runId);
  if (!shared) {
    const listeners = new Set<Listener>();
    const stop = api.events(`/runs/${encodeURIComponent(runId)}/stream`, {
      onEvent(event, data) {
        let parsed: unknown = data;
        try {
          parsed = JSON.parse(data);
        } catch {
          // not JSON: hand the text over as it is
        }
        for (const l of [...listeners]) l({ event, data: parsed });
      },
    });
    shared = { listeners, stop };
    streams.set(runId, shared);
  }
  const mine = shared;
  mine.listeners.add(listener);
  return () => {
    mine.listeners.delete(listener);
    if (mine.listeners.size === 0) {
      mine.stop();
      if (streams.get(runId) === mine) streams.delete(runId);
    }
  };
}
