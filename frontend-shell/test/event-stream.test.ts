import { describe, expect, it } from '@jest/globals';
import type { EventStreamState, Problem, Query } from '@oneservice/plugin-sdk/ui';
import { followEventStream, type StreamFetch } from '../src/core/api/event-stream.js';
import { SseParser } from '../src/core/api/sse-parser.js';

describe('SSE parser', () => {
  it('reads events split across chunks, keeps the last id, skips comments', () => {
    const p = new SseParser();
    expect(p.push(': connected\n\nid: c1\nevent: log\nda')).toEqual([]);
    expect(p.push('ta: {"a":1}\n\nevent: log\ndata: {"b":2}\r\n\r\n')).toEqual([
      { event: 'log', data: '{"a":1}', id: 'c1' },
      { event: 'log', data: '{"b":2}', id: 'c1' },
    ]);
  });

  it('joins multi-line data and defaults the event name', () => {
    expect(new SseParser().push('data: one\ndata: two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: null }]);
  });

  it('takes CR, LF and CRLF line ends, also a CRLF split between chunks', () => {
    const p = new SseParser();
    expect(p.push('data: a\r')).toEqual([]);
    expect(p.push('\ndata: b\r\n\r')).toEqual([]);
    expect(p.push('\nevent: x\rdata: c\r\r')).toEqual([{ event: 'message', data: 'a\nb', id: null }]);
    // The last CR could still be half a CRLF; the next text settles it.
    expect(p.push('data: d\n\n')).toEqual([
      { event: 'x', data: 'c', id: null },
      { event: 'message', data: 'd', id: null },
    ]);
  });

  it('reads a field without a colon as empty, and only one space after the colon', () => {
    expect(new SseParser().push('data\ndata:x\ndata:  y\nunknown: z\n\n')).toEqual([{ event: 'message', data: '\nx\n y', id: null }]);
  });

  it('remembers an id given without data, clears it on an empty id, ignores one with NUL', () => {
    const p = new SseParser('c0');
    expect(p.lastEventId).toBe('c0');
    expect(p.push('id: c5\n\n')).toEqual([]);
    expect(p.lastEventId).toBe('c5');
    expect(p.push('id: bad\u0000\ndata: d\n\n')).toEqual([{ event: 'message', data: 'd', id: 'c5' }]);
    expect(p.push('id\ndata: e\n\n')).toEqual([{ event: 'message', data: 'e', id: null }]);
    expect(p.lastEventId).toBeNull();
  });
});

/** A stand-in for the server: answers each call with the next response; records what was asked. */
function fakeServer(answers: (() => Response)[]) {
  const calls: { path: string; query?: Query; headers: Record<string, string>; signal: AbortSignal }[] = [];
  const fetch: StreamFetch = async (path, init) => {
    calls.push({ path, query: init.query, headers: init.headers as Record<string, string>, signal: init.signal! });
    const answer = answers[calls.length - 1];
    if (!answer) return new Promise<Response>(() => undefined);
    return answer();
  };
  return { fetch, calls };
}

/** A 200 text/event-stream body: the chunks, then the end (or left open, ended by the abort). */
function stream(chunks: string[], open = false, signal?: () => AbortSignal): Response {
  const enc = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(enc.encode(chunk));
        if (!open) c.close();
        else signal?.().addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
      },
    }),
    { headers: { 'Content-Type': 'text/event-stream' } },
  );
}

const problem = (status: number, title: string, detail?: string) =>
  new Response(JSON.stringify({ title, status, detail }), { status, headers: { 'Content-Type': 'application/problem+json' } });

/** Lets queued timers and promises run until the condition holds (no wall-clock assertion). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  expect(condition()).toBe(true);
}

function recorder() {
  const events: [string, string, string | null][] = [];
  const states: [EventStreamState, string | undefined][] = [];
  const refused: [number, Problem][] = [];
  return {
    events, states, refused,
    options: {
      onEvent: (event: string, data: string, id: string | null) => void events.push([event, data, id]),
      onState: (state: EventStreamState, detail?: string) => void states.push([state, detail]),
      onRefused: (status: number, p: Problem) => void refused.push([status, p]),
    },
  };
}

describe('following an event stream', () => {
  it('asks for text/event-stream with the query, and resumes from the last id after the stream ends', async () => {
    const server = fakeServer([
      () => stream(['id: c1\nevent: log\ndata: one\n\n', 'id: c2\nevent: log\ndata: two\n\n']),
      () => stream(['event: log\ndata: three\n\n'], true, () => server.calls[1]!.signal),
    ]);
    const r = recorder();
    const stop = followEventStream(server.fetch, '/runs/r1/logs', { query: { follow: 'true' }, ...r.options }, [0]);
    await until(() => r.events.length === 3);
    stop();
    expect(server.calls.map((c) => [c.path, c.query, c.headers['Last-Event-ID']])).toEqual([
      ['/runs/r1/logs', { follow: 'true' }, undefined],
      ['/runs/r1/logs', { follow: 'true' }, 'c2'],
    ]);
    expect(server.calls[0]!.headers.Accept).toContain('text/event-stream');
    // An event without an id of its own still carries the stream's last one.
    expect(r.events).toEqual([['log', 'one', 'c1'], ['log', 'two', 'c2'], ['log', 'three', 'c2']]);
    expect(r.states.map(([s]) => s)).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live']);
    expect(r.states[2]![1]).toBe('the stream ended; trying again in 0 s');
    expect(server.calls[1]!.signal.aborted).toBe(true);
  });

  it('retries a network error, a 5xx and a 429, with the reason in the state', async () => {
    const server = fakeServer([
      () => { throw new TypeError('Failed to fetch'); },
      () => problem(503, 'Service Unavailable'),
      () => problem(429, 'Too Many Requests'),
      () => stream(['data: up\n\n'], true, () => server.calls[3]!.signal),
    ]);
    const r = recorder();
    const stop = followEventStream(server.fetch, '/runs/stream', r.options, [0]);
    await until(() => r.events.length === 1);
    stop();
    expect(server.calls).toHaveLength(4);
    expect(r.refused).toEqual([]);
    expect(r.states.filter(([, detail]) => detail).map(([, detail]) => detail)).toEqual([
      'Failed to fetch; trying again in 0 s',
      'the stream answered 503 Service Unavailable; trying again in 0 s',
      'the stream answered 429 Too Many Requests; trying again in 0 s',
    ]);
    expect(r.states.at(-1)).toEqual(['live', undefined]);
  });

  it('waits longer after each failure in a row, up to the last step', async () => {
    const waits: string[] = [];
    const server = fakeServer([0, 1, 2, 3].map(() => () => problem(502, 'Bad Gateway')));
    const stop = followEventStream(server.fetch, '/x', {
      onEvent: () => undefined,
      onState: (_state, detail) => void (detail && waits.push(detail.replace(/.*trying again in /, ''))),
    }, [0, 1_000, 2_000]);
    await until(() => waits.length === 2);
    stop();
    expect(waits).toEqual(['0 s', '1 s']);
  });

  it('does not retry another 4xx: closed, and the problem goes to onRefused', async () => {
    const server = fakeServer([() => problem(400, 'Bad Request', 'at position 3: unexpected )'), () => stream(['data: no\n\n'])]);
    const r = recorder();
    followEventStream(server.fetch, '/runs/r1/logs', r.options, [0]);
    await until(() => r.refused.length === 1);
    // A retry would have been queued before this tick ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(server.calls).toHaveLength(1);
    expect(r.refused[0]![0]).toBe(400);
    expect(r.refused[0]![1]).toMatchObject({ title: 'Bad Request', status: 400, detail: 'at position 3: unexpected )' });
    expect(r.states.map(([s]) => s)).toEqual(['connecting', 'closed']);
    expect(r.events).toEqual([]);
  });

  it('a refusal that is not problem+json still says what came back', async () => {
    const server = fakeServer([() => new Response('<html>gone</html>', { status: 404, statusText: 'Not Found' })]);
    const r = recorder();
    followEventStream(server.fetch, '/runs/nope/stream', r.options, [0]);
    await until(() => r.refused.length === 1);
    expect(r.refused[0]![0]).toBe(404);
    expect(r.refused[0]![1].status).toBe(404);
  });

  it('stop ends the stream: the request is aborted, no event or retry follows', async () => {
    const server = fakeServer([() => stream(['data: a\n\n'], true, () => server.calls[0]!.signal)]);
    const r = recorder();
    const stop = followEventStream(server.fetch, '/runs/stream', r.options, [0]);
    await until(() => r.events.length === 1);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]!.signal.aborted).toBe(true);
    expect(r.states.map(([s]) => s)).toEqual(['connecting', 'live']);
  });

  it('a stop called from inside onEvent delivers nothing after it', async () => {
    const server = fakeServer([() => stream(['data: 1\n\ndata: 2\n\n'])]);
    const seen: string[] = [];
    let stop = () => {};
    stop = followEventStream(server.fetch, '/x', { onEvent: (_e, data) => { seen.push(data); stop(); } }, [0]);
    await until(() => seen.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['1']);
    expect(server.calls).toHaveLength(1);
  });
});
