/// <reference lib="dom" />
import type { ApiClient, Problem } from '@oneservice/plugin-sdk/ui';
import type { RunLogRecord } from '../observation-types.js';
import { SseParser } from './sse-parser.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LogStreamOptions {
  api: ApiClient;
  runId: string;
  /** The server-side query (the logs port's language); empty for every line. */
  query: string;
  /** How many of the newest lines come first. */
  limit: number;
  onLines(records: RunLogRecord[]): void;
  onState(state: StreamState, detail?: string): void;
  /** The server refused the stream (a bad query, a run that is not there): no retry. */
  onRefused(status: number, problem: Problem): void;
}

const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * Follows a run's logs: the newest `limit` lines, then every line as it is written. A dropped stream
 * is resumed from the last event id (the server's gap-free cursor), so no line is lost or repeated.
 * Returns the stop.
 */
export function followLogs(options: LogStreamOptions): () => void {
  const { api, runId } = options;
  let cursor: string | null = null;
  let stopped = false;
  let attempt = 0;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    if (stopped) return;
    controller = new AbortController();
    options.onState(cursor === null ? 'connecting' : 'reconnecting');
    try {
      const res = await api.fetch(`/runs/${encodeURIComponent(runId)}/logs`, {
        query: { follow: 'true', limit: options.limit, query: options.query || undefined },
        headers: { Accept: 'text/event-stream, application/problem+json', ...(cursor ? { 'Last-Event-ID': cursor } : {}) },
        signal: controller.signal,
      });
      if (!res.ok || !res.body) {
        const problem = await readProblem(res);
        // A server that is restarting or overloaded comes back; anything else is an answer.
        if (res.status >= 500 || res.status === 429) throw new Error(problem.detail ?? problem.title);
        stopped = true;
        options.onState('closed');
        options.onRefused(res.status, problem);
        return;
      }
      const parser = new SseParser();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const records: RunLogRecord[] = [];
        for (const message of parser.push(value)) {
          if (message.event !== 'log') continue;
          records.push(JSON.parse(message.data) as RunLogRecord);
          if (message.id) cursor = message.id;
        }
        attempt = 0;
        options.onState('live');
        if (records.length) options.onLines(records);
      }
      if (!stopped) scheduleRetry('the stream ended');
    } catch (error) {
      if (stopped) return;
      scheduleRetry((error as Error).message);
    }
  };

  const scheduleRetry = (why: string) => {
    const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
    attempt += 1;
    options.onState('reconnecting', `${why}; trying again in ${Math.round(wait / 1000)} s`);
    retryTimer = setTimeout(() => void connect(), wait);
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    controller?.abort();
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
