import { notFound, type FollowedLogRecord, type LogSearch, type PluginContext, eventsPort, logsPort, tracesPort } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { idParams, plain, windowBound } from '../api-shapes.js';
import { getRun } from '../run-store.js';
import { runTopic } from '../training-deps.js';

const logSchema = z.looseObject({ id: z.string(), ts: z.number(), level: z.string(), message: z.string() });
const eventSchema = z.looseObject({ id: z.string(), ts: z.number(), type: z.string() });
const spanSchema = z.looseObject({ traceId: z.string(), spanId: z.string(), name: z.string(), start: z.number(), end: z.number() });
const traceSummarySchema = z.looseObject({ traceId: z.string(), rootName: z.string(), start: z.number(), durationMs: z.number(), spanCount: z.number() });

/** Slow safety poll for a follow stream, in case a live notification was missed. */
const FOLLOW_POLL_MS = 5_000;
const FOLLOW_PAGE = 500;

export function registerObservationRoutes(ctx: PluginContext): void {
  const tags = ['training'];
  ctx.route({
    method: 'GET', path: '/runs/:id/logs', permission: 'runs:read', tags,
    summary: "A run's logs (Lucene-style query); follow=true streams them as Server-Sent Events: the newest `limit` lines, then each line as it is written, in the order written (event id: a cursor to resume from, as `after` or Last-Event-ID)",
    produces: 'application/json, text/event-stream',
    schema: {
      params: idParams,
      query: z.object({
        query: z.string().max(2000).optional(), from: windowBound, to: windowBound,
        limit: z.coerce.number().int().min(1).max(5000).default(200),
        // A record id to page after; with follow=true, an event id of an earlier stream (longer: a snapshot).
        after: z.string().max(8192).optional(),
        follow: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
      }),
      response: z.object({ items: z.array(logSchema), next: z.string().nullable() }),
    },
    handler: async (req) => {
      const { db, params, query } = req;
      const run = await getRun(db, params.id);
      const logs = await ctx.port(logsPort, db.tenantId);
      const search: LogSearch = { runId: run.id, query: query.query, from: query.from, to: query.to, limit: query.limit, after: query.after };
      if (!query.follow) {
        const page = await logs.search(search);
        return { items: page.items.map(plain), next: page.next };
      }

      // The first page is read before the stream opens, so a bad cursor is a 400 problem, not a
      // broken stream. EventSource sends the last event id back when it reconnects.
      const lastEventId = req.headers['last-event-id'];
      const follow = { runId: run.id, query: query.query, from: query.from };
      const first = await logs.follow({ ...follow, limit: query.limit, cursor: (typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : undefined) ?? query.after });
      const sse = req.sse();
      const sendAll = (items: FollowedLogRecord[]) => {
        for (const { cursor: eventId, ...record } of items) sse.send('log', plain(record), eventId);
      };
      sendAll(first.items);
      let cursor = first.next;
      let polling = false;
      let again = false;
      // One poll at a time; a notification during a poll schedules one more, so nothing is skipped.
      const poll = async (): Promise<void> => {
        if (polling) {
          again = true;
          return;
        }
        polling = true;
        try {
          do {
            again = false;
            // Until a read comes back empty: a page can end a pinned read with room to spare.
            for (;;) {
              const page = await logs.follow({ ...follow, cursor, limit: FOLLOW_PAGE });
              sendAll(page.items);
              cursor = page.next;
              if (page.items.length === 0 || sse.closed) break;
            }
          } while (again && !sse.closed);
        } catch (error) {
          ctx.logger.warn({ err: error, runId: run.id }, 'log follow poll failed');
        } finally {
          polling = false;
        }
      };
      const unsubscribe = await ctx.live.subscribe(db.tenantId, runTopic(run.id), () => void poll());
      // Lines written between the first page and the subscription have had their notification.
      void poll();
      const timer = setInterval(() => void poll(), FOLLOW_POLL_MS);
      req.signal.addEventListener('abort', () => {
        clearInterval(timer);
        void unsubscribe();
      }, { once: true });
      return undefined;
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/events', permission: 'runs:read', tags, summary: "A run's events (checkpoints, status changes, …)",
    schema: {
      params: idParams,
      query: z.object({ from: windowBound, to: windowBound, type: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(5000).default(200), after: z.string().max(200).optional() }),
      response: z.object({ items: z.array(eventSchema), next: z.string().nullable() }),
    },
    handler: async ({ db, params, query }) => {
      const run = await getRun(db, params.id);
      const events = await ctx.port(eventsPort, db.tenantId);
      const page = await events.search({ runId: run.id, from: query.from, to: query.to, types: query.type ? [query.type] : undefined, limit: query.limit, after: query.after });
      return { items: page.items.map(plain), next: page.next };
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/traces', permission: 'runs:read', tags, summary: "Traces of a run's key steps",
    schema: {
      params: idParams,
      query: z.object({ from: windowBound, to: windowBound, operation: z.string().max(300).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: z.object({ items: z.array(traceSummarySchema) }),
    },
    handler: async ({ db, params, query }) => {
      const run = await getRun(db, params.id);
      const traces = await ctx.port(tracesPort, db.tenantId);
      return { items: (await traces.findTraces({ runId: run.id, start: query.from, end: query.to, operation: query.operation, limit: query.limit })).map(plain) };
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id/traces/:traceId', permission: 'runs:read', tags, summary: "One trace's spans, ordered by start",
    schema: {
      params: idParams.extend({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lower-case hex digits') }),
      response: z.object({ trace_id: z.string(), spans: z.array(spanSchema) }),
    },
    handler: async ({ db, params }) => {
      const run = await getRun(db, params.id);
      const spans = await (await ctx.port(tracesPort, db.tenantId)).getTrace(params.traceId);
      // A trace id of this tenant that belongs to another run (or none) is not this run's trace.
      if (!spans || !spans.some((s) => s.runId === run.id)) {
        throw notFound(`trace ${params.traceId} of run ${run.id}`);
      }
      return { trace_id: params.traceId, spans: spans.map(plain) };
    },
  });
}
