import { startTestKernel, type TestKernel } from '@oneservice/plugin-sdk/testing';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';

const PLUGINS = ['training', 'run-metrics-postgres', 'logs-embedded', 'events-embedded', 'traces-embedded', 'objects-local'];
const T0 = 1_764_060_000_000;
let k: TestKernel;
let ingestA: string;
let readerA: string;
let readerB: string;

beforeAll(async () => {
  k = await startTestKernel({ plugins: PLUGINS });
  ingestA = await k.apiToken('a', 'ML_ENGINEER', ['ingest', 'read']);
  readerA = await k.login('a', 'READONLY');
  readerB = await k.login('b', 'READONLY');
});
afterAll(async () => {
  await k?.stop();
});

const ingest = (clientRunId: string, logs: Array<{ ts: number; message: string }>) =>
  k.request('POST', '/api/v1/ingest/batch', {
    token: ingestA,
    body: { batch_id: randomUUID(), run: { client_run_id: clientRunId, project: 'follow', name: clientRunId }, logs: logs.map((l) => ({ ...l, level: 'info' })) },
  });

interface LogEvent {
  id: string;
  message: string;
}

/** An SSE reader of the follow stream: parsed `log` events as they come, with their event ids. */
function follow(runId: string, headers: Record<string, string> = {}) {
  const events: LogEvent[] = [];
  const waiters: Array<() => void> = [];
  let req: ClientRequest | null = null;
  const opened = new Promise<void>((resolve, reject) => {
    req = httpRequest(`${k.baseUrl}/api/v1/runs/${runId}/logs?follow=true&limit=2`, { headers: { authorization: `Bearer ${readerA}`, ...headers } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`follow answered ${res.statusCode}`));
      resolve();
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          if (field('event') !== 'log') continue;
          events.push({ id: field('id') as string, message: (JSON.parse(field('data') as string) as { message: string }).message });
          waiters.splice(0).forEach((wake) => wake());
        }
      });
    });
    req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end();
  });
  const until = (count: number) =>
    new Promise<LogEvent[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`saw ${events.length} of ${count} lines: ${events.map((e) => e.message).join(', ')}`)), 10_000);
      const check = () => {
        if (events.length >= count) {
          clearTimeout(timer);
          resolve(events.slice(0, count));
        } else waiters.push(check);
      };
      check();
    });
  return { opened, until, events, close: () => (req as ClientRequest | null)?.destroy() };
}

describe('GET /runs/:id/logs?follow=true', () => {
  it('streams the newest lines, then each new line once (old timestamps too), and resumes from Last-Event-ID', async () => {
    const runId = (await ingest('follow-live', [1, 2, 3].map((n) => ({ ts: T0 + n * 1000, message: `backlog ${n}` })))).body.run_id as string;
    const stream = follow(runId);
    await stream.opened;
    expect((await stream.until(2)).map((e) => e.message)).toEqual(['backlog 2', 'backlog 3']);
    // A late line stamped before everything already shown still arrives.
    await ingest('follow-live', [{ ts: T0, message: 'late but old' }, { ts: T0 + 9000, message: 'new' }]);
    const live = await stream.until(4);
    expect(live.slice(2).map((e) => e.message)).toEqual(['late but old', 'new']);
    stream.close();

    await ingest('follow-live', [{ ts: T0 + 10_000, message: 'while away' }]);
    const resumed = follow(runId, { 'last-event-id': live[3]?.id as string });
    await resumed.opened;
    expect((await resumed.until(1)).map((e) => e.message)).toEqual(['while away']);
    await ingest('follow-live', [{ ts: T0 + 11_000, message: 'after resuming' }]);
    expect((await resumed.until(2)).map((e) => e.message)).toEqual(['while away', 'after resuming']);
    resumed.close();
    expect(new Set([...live, ...resumed.events].map((e) => e.message)).size).toBe(live.length + resumed.events.length);
  });

  it('refuses a bad cursor with a 400 problem, another tenant with a 404, and a token without read with a 403', async () => {
    const runId = (await ingest('follow-guarded', [{ ts: T0, message: 'guarded' }])).body.run_id as string;
    const bad = await k.request('GET', `/api/v1/runs/${runId}/logs?follow=true&after=not-a-cursor`, { token: readerA });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors?.[0]?.path).toBe('cursor');
    expect((await k.request('GET', `/api/v1/runs/${runId}/logs?follow=true`, { token: readerB })).status).toBe(404);
    const ingestOnly = await k.apiToken('a', 'ML_ENGINEER', ['ingest']);
    expect((await k.request('GET', `/api/v1/runs/${runId}/logs?follow=true`, { token: ingestOnly })).status).toBe(403);
  });
});
