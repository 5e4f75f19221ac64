/// <reference lib="dom" />
import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import type { RunStatus, RunsStreamPoint } from '../api-types.js';

export interface RunsLiveHandlers {
  created(runId: string): void;
  status(runId: string, status: RunStatus): void;
  metrics(runId: string, points: RunsStreamPoint[]): void;
}

/** Wait before reopening a broken stream. */
const RECONNECT_MS = 3000;

type StreamEvent = { run_id: string; status?: RunStatus; points?: RunsStreamPoint[] };

/**
 * Follows GET /runs/stream (every run of the tenant) until the returned function is called. It reads
 * the stream through ctx.api.fetch rather than EventSource, which cannot send the bearer token and
 * tenant header the API needs.
 */
export function followRuns(ctx: ShellContext, on: RunsLiveHandlers): () => void {
  const controller = new AbortController();
  const dispatch = (event: string, data: string) => {
    let parsed: StreamEvent;
    try {
      parsed = JSON.parse(data) as StreamEvent;
    } catch {
      return;
    }
    if (event === 'created') on.created(parsed.run_id);
    else if (event === 'status' && parsed.status) on.status(parsed.run_id, parsed.status);
    else if (event === 'metrics' && parsed.points) on.metrics(parsed.run_id, parsed.points);
  };
  const follow = async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await ctx.api.fetch('/runs/stream', { signal: controller.signal, headers: { accept: 'text/event-stream' } });
        if (!response.ok || !response.body) throw new Error(`runs stream answered ${response.status}`);
        await readEvents(response.body, dispatch);
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };
  void follow();
  return () => controller.abort();
}

/** The text/event-stream framing: blocks split by a blank line, `event:` and `data:` fields. */
async function readEvents(body: ReadableStream<Uint8Array>, dispatch: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) dispatch(event, data.join('\n'));
    }
  }
}
