/// <reference lib="dom" />
import type { ApiClient } from '@oneservice/plugin-sdk/ui';

/** One Server-Sent Event of the run stream (`hello`, `metrics`, `batch`, `status`). */
export interface RunStreamEvent {
  event: string;
  data: unknown;
}
type Listener = (e: RunStreamEvent) => void;

/**
 * Splits text/event-stream text into events as chunks arrive (the WHATWG rules that matter here:
 * `event:` and `data:` lines, blank line ends an event, `:` comments skipped). Returns the leftover.
 */
export function parseSse(buffer: string, emit: (event: string, data: string) => void): string {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) emit(event, data.join('\n'));
  }
  return rest;
}

interface Shared {
  listeners: Set<Listener>;
  stop: () => void;
}
const streams = new Map<string, Shared>();

/**
 * Listens to `GET /runs/:id/stream`. The page host (status) and the Charts tab (points) share one
 * connection per run. It is read with fetch rather than EventSource because EventSource cannot send
 * the Authorization header; it reconnects after a drop, and the first event after each connect is a
 * `hello` with the run's status, so a change missed while disconnected is still noticed.
 */
export function subscribeRunStream(api: ApiClient, runId: string, listener: Listener): () => void {
  let shared = streams.get(runId);
  if (!shared) {
    const listeners = new Set<Listener>();
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | null = null;
    const connect = async () => {
      try {
        const res = await api.fetch(`/api/v1/runs/${encodeURIComponent(runId)}/stream`, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseSse(buffer + value, (event, data) => {
            let parsed: unknown = data;
            try {
              parsed = JSON.parse(data);
            } catch {
              // not JSON: hand the text over as it is
            }
            for (const l of [...listeners]) l({ event, data: parsed });
          });
        }
      } catch {
        // dropped or refused: try again below, unless the page went away
      }
      if (!controller.signal.aborted) retry = setTimeout(() => void connect(), 2000);
    };
    shared = {
      listeners,
      stop: () => {
        controller.abort();
        if (retry) clearTimeout(retry);
      },
    };
    streams.set(runId, shared);
    void connect();
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
