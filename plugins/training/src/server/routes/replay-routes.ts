import type { PluginContext, SpanRecord } from '@oneservice/plugin-sdk';
import { badRequest, epochMillis, eventsPort, logsPort, runMetricsPort, tracesPort } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { idParams, plain, seriesSchema, seriesView } from '../api-shapes.js';
import { getRun } from '../run-store.js';
import { runTopic } from '../training-deps.js';

const REPLAY_POINTS = 500;
const REPLAY_TRACES = 50;

export function registerReplayRoutes(ctx: PluginContext): void {
  const tags = ['training'];
  ctx.route({
    method: 'POST', path: '/runs/:id/replay', permission: 'runs:read', scope: 'read', tags,
    summary: 'Everything of a run in a time window: metrics (all, downsampled by time), logs, events and spans',
    schema: {
      params: idParams,
      body: z.object({ from: epochMillis(), to: epochMillis() }),
      response: z.object({
        run_id: z.string(), from: z.number(), to: z.number(), metrics: z.array(seriesSchema),
        logs: z.array(z.looseObject({ id: z.string(), ts: z.number() })), events: z.array(z.looseObject({ id: z.string(), ts: z.number() })),
        spans: z.array(z.looseObject({ traceId: z.string(), spanId: z.string(), start: z.number() })),
      }),
    },
    handler: async ({ db, params, body }) => {
      if (body.to < body.from) throw badRequest('to is before from', [{ path: 'to', message: 'must not be before from' }]);
      const run = await getRun(db, params.id);
      const [metricsStore, logStore, eventStore, traceStore] = await Promise.all([
        ctx.port(runMetricsPort, db.tenantId), ctx.port(logsPort, db.tenantId), ctx.port(eventsPort, db.tenantId), ctx.port(tracesPort, db.tenantId),
      ]);
      const names = (await metricsStore.summaries([run.id])).map((s) => s.name);
      const window = { from: body.from, to: body.to };
      const [series, logs, events, traces] = await Promise.all([
        Promise.all(names.map((name) => metricsStore.series({ runId: run.id, name, by: 'time', ...window, points: REPLAY_POINTS }))),
        logStore.search({ runId: run.id, ...window, order: 'asc', limit: 1000 }),
        eventStore.search({ runId: run.id, ...window, order: 'asc', limit: 1000 }),
        traceStore.findTraces({ runId: run.id, start: body.from, end: body.to, limit: REPLAY_TRACES }),
      ]);
      const spans: SpanRecord[] = (await Promise.all(traces.map((t) => traceStore.getTrace(t.traceId))))
        .flatMap((list) => list ?? [])
        .filter((s) => s.end >= body.from && s.start <= body.to)
        .sort((a, b) => a.start - b.start);
      return { run_id: run.id, ...window, metrics: series.map(seriesView), logs: logs.items.map(plain), events: events.items.map(plain), spans: spans.map(plain) };
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/stream', permission: 'runs:read', tags, produces: 'text/event-stream',
    summary: 'Server-Sent Events of a run: new points (event `metrics`), batches, status changes',
    schema: { params: idParams },
    handler: async (req) => {
      const run = await getRun(req.db, req.params.id);
      const sse = req.sse();
      sse.send('hello', { run_id: run.id, status: run.status });
      const unsubscribe = await ctx.live.subscribe(req.tenantId, runTopic(run.id), (payload) => {
        const message = payload as { type?: string; latest?: unknown[] };
        if (message.type === 'batch') {
          if (message.latest && message.latest.length > 0) sse.send('metrics', { run_id: run.id, points: message.latest });
          sse.send('batch', payload);
        } else if (message.type === 'status') {
          sse.send('status', payload);
        }
      });
      req.signal.addEventListener('abort', () => void unsubscribe(), { once: true });
      if (req.signal.aborted) await unsubscribe();
    },
  });
}
