/// <reference lib="dom" />
import type { ApiClient, EventStreamState, Problem } from '@oneservice/plugin-sdk/ui';
import type { RunLogRecord } from '../observation-types.js';

export interface LogStreamOptions {
  api: ApiClient;
  runId: string;
  /** The server-side query (the logs port's language); empty for every line. */
  query: string;
  /** How many of the newest lines come first. */
  limit: number;
  onLines(records: RunLogRecord[]): void;
  onState(state: EventStreamState, detail?: string): void;
  /** The server refused the stream (a bad query, a run that is not there): no retry. */
  onRefused(status: number, problem: Problem): void;
}

/**
 * Follows a run's logs: the newest `limit` lines, then every line as it is written. A dropped stream
 * is resumed from the last event id (the server's gap-free cursor), so no line is lost or repeated.
 * Returns the stop.
 */
export function followLogs(options: LogStreamOptions): () => void {
  // The lines of one read arrive together: they go to the viewer as one append.
  let batch: RunLogRecord[] = [];
  const flush = () => {
    const records = batch;
    batch = [];
    if (records.length && !stopped) options.onLines(records);
  };
  let stopped = false;
  const stop = options.api.events(`/runs/${encodeURIComponent(options.runId)}/logs`, {
    query: { follow: 'true', limit: options.limit, query: options.query || undefined },
    onEvent(event, data) {
      if (event !== 'log') return;
      if (batch.length === 0) queueMicrotask(flush);
      batch.push(JSON.parse(data) as RunLogRecord);
    },
    onState: (state, detail) => options.onState(state, detail),
    onRefused: (status, problem) => options.onRefused(status, problem),
  });
  return () => {
    stopped = true;
    stop();
  };
}

export async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Problem;
    if (body && typeof body.title === 'string') return body;
  } catch {
    // Not problem+json (a proxy's page): say what came back.
  }
  return { title: res.statusText || `HTTP ${res.status}`, status: res.status, detail: text.slice(0, 200) || undefined };
}
