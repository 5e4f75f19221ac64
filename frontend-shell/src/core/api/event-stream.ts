import type { EventStreamOptions, EventStreamState, Query } from '@oneservice/plugin-sdk/ui';
import { toProblem } from './problem-text.js';
import { SseParser } from './sse-parser.js';

/** The api client's authenticated fetch (bearer, tenant header, one refresh on a 401). */
export type StreamFetch = (path: string, init: RequestInit & { query?: Query }) => Promise<Response>;

/** Waits before reconnecting, longer with each failure in a row; an event read resets it. */
export const RETRY_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000];

/**
 * `ctx.api.events`: follows one text/event-stream endpoint. After a drop it resumes from the last
 * event id the server gave (Last-Event-ID), so a stream with ids loses and repeats nothing. A server
 * that is down, restarting or throttling (network error, 5xx, 429) comes back, so those are retried;
 * any other 4xx is the server's answer (a bad query, a run that is not there): closed, onRefused.
 */
export function followEventStream(fetch: StreamFetch, path: string, options: EventStreamOptions, retryMs: readonly number[] = RETRY_MS): () => void {
  let stopped = false;
  let opened = false;
  let lastEventId: string | null = null;
  let failures = 0;
  let state: EventStreamState | null = null;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: EventStreamState, detail?: string) => {
    // Every chunk read confirms "live"; say it once.
    if (next === 'live' && state === 'live') return;
    state = next;
    options.onState?.(next, detail);
  };

  const scheduleRetry = (why: string, atLeastMs = 0) => {
    const wait = Math.max(retryMs[Math.min(failures, retryMs.length - 1)] ?? 0, atLeastMs);
    failures += 1;
    setState('reconnecting', `${why}; trying again in ${Math.round(wait / 1000)} s`);
    retryTimer = setTimeout(() => void connect(), wait);
  };

  const connect = async () => {
    if (stopped) return;
    controller = new AbortController();
    setState(opened ? 'reconnecting' : 'connecting');
    opened = true;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream, application/problem+json' };
      if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
      const init: RequestInit & { query?: Query } = { headers, signal: controller.signal };
      if (options.query) init.query = options.query;
      const res = await fetch(path, init);
      if (!res.ok || !res.body) {
        const text = await res.text().catch(() => '');
        const problem = toProblem(res.status, parseJson(text), text);
        if (stopped) return;
        if (res.ok || res.status >= 500 || res.status === 429) {
          const retryAfter = Number(res.headers.get('Retry-After'));
          scheduleRetry(`the stream answered ${res.status} ${problem.title}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
          return;
        }
        stopped = true;
        setState('closed');
        options.onRefused?.(res.status, problem);
        return;
      }
      const parser = new SseParser(lastEventId);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done || stopped) break;
        const messages = parser.push(value);
        lastEventId = parser.lastEventId;
        failures = 0;
        setState('live');
        for (const m of messages) {
          options.onEvent(m.event, m.data, m.id);
          if (stopped) return;
        }
      }
      if (!stopped) scheduleRetry('the stream ended');
    } catch (error) {
      if (stopped) return;
      scheduleRetry(error instanceof Error ? error.message : String(error));
    }
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    controller?.abort();
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
