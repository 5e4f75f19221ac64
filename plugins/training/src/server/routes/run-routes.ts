import { pageSchema, type PluginContext } from '@oneservice/plugin-sdk';
import { badRequest } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { idParams, runSchema, runView } from '../api-shapes.js';
import { RUN_STATUSES } from '../ingest-schema.js';
import type { RunService } from '../run-service.js';
import { listRuns, updateRun } from '../run-store.js';
import { RUNS_TOPIC } from '../training-deps.js';

const repeatable = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const keyValue = (where: string) =>
  repeatable.transform((values, zctx) =>
    values.flatMap((value) => {
      const at = value.indexOf(':');
      if (at <= 0) {
        zctx.addIssue({ code: 'custom', message: `${where} filters are key:value`, path: [] });
        return [];
      }
      return [[value.slice(0, at), value.slice(at + 1)] as [string, string]];
    }),
  );

/** An instant as epoch milliseconds or an ISO-8601 time (what the time-range picker resolves to). */
const instant = z
  .string()
  .max(40)
  .optional()
  .transform((text, zctx) => {
    if (text === undefined || text === '') return undefined;
    const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (!Number.isFinite(ms)) {
      zctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO-8601 time' });
      return z.NEVER;
    }
    return new Date(ms);
  });

export const runListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
  sort: z
    .string()
    .regex(/^-?(created_at|started_at|updated_at|name|status|metric\.[A-Za-z0-9_.:/-]{1,200})$/, 'sort by created_at, started_at, updated_at, name, status or metric.<name>, with - for descending')
    .optional(),
  q: z.string().max(200).optional(),
  project: z.string().max(200).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  tag: keyValue('tag'),
  param: keyValue('param'),
  active_from: instant,
  active_to: instant,
  sparkline: z.string().min(1).max(200).optional(),
}).refine((q) => !q.active_from || !q.active_to || q.active_from <= q.active_to, { message: 'active_from must not be after active_to', path: ['active_from'] });

const runPatch = z
  .object({
    name: z.string().trim().min(1).max(300).optional(),
    notes: z.string().max(20_000).nullable().optional(),
    tags: z.record(z.string().min(1).max(200), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict();

export function registerRunRoutes(ctx: PluginContext, runs: RunService): void {
  const tags = ['training'];
  ctx.route({
    method: 'GET', path: '/runs', permission: 'runs:read', summary: 'List runs with their metric summaries', tags,
    description: 'Filters: project (id or name), status, tag=key:value and param=key:value (repeatable, all must match), q (name, id, client run id or a tag key/value), active_from/active_to (runs active at some moment of the range: started before active_to, not ended before active_from; epoch ms or ISO-8601). Sort: created_at, started_at, updated_at, name, status or metric.<name> (last value), - for descending. sparkline=<metric> adds that metric of each run, downsampled to a few points.',
    schema: { query: runListQuery, response: pageSchema(runSchema) },
    handler: async ({ db, query }) => {
      const { rows, total } = await listRuns(db, { ...query, tags: query.tag, params: query.param, activeFrom: query.active_from, activeTo: query.active_to });
      const ids = rows.map((r) => r.id);
      const [summaries, sparklines] = await Promise.all([
        runs.summaries(db.tenantId, ids),
        query.sparkline ? runs.sparklines(db.tenantId, ids, query.sparkline) : Promise.resolve(null),
      ]);
      return { items: rows.map((row) => runView(row, summaries, sparklines?.get(row.id))), total, page: query.page, page_size: query.page_size };
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/stream', permission: 'runs:read', tags, produces: 'text/event-stream',
    summary: "Server-Sent Events of every run of the tenant, for the runs list: `created` (a new run), `status` (a run's status changed), `metrics` (a run's newest values)",
    description: 'Each event carries run_id. A list re-reads a created run through GET /runs (the event carries no row, so filters and permissions stay the list route\'s business).',
    // No parameters: a misspelt one is a 400 rather than a stream that silently ignores it.
    schema: { query: z.object({}).strict() },
    handler: async (req) => {
      const sse = req.sse();
      sse.send('hello', { tenant_id: req.tenantId });
      const unsubscribe = await ctx.live.subscribe(req.tenantId, RUNS_TOPIC, (payload) => {
        const message = payload as { type?: string; run_id?: string; status?: string; latest?: unknown[] };
        if (typeof message.run_id !== 'string') return;
        if (message.type === 'created') sse.send('created', { run_id: message.run_id });
        else if (message.type === 'status') sse.send('status', { run_id: message.run_id, status: message.status });
        else if (message.type === 'batch' && message.latest && message.latest.length > 0) sse.send('metrics', { run_id: message.run_id, points: message.latest });
      });
      req.signal.addEventListener('abort', () => void unsubscribe(), { once: true });
      if (req.signal.aborted) await unsubscribe();
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/:id', permission: 'runs:read', summary: 'Get a run', tags,
    schema: { params: idParams, response: runSchema },
    handler: async ({ db, params }) => runs.view(db, params.id),
  });
  ctx.route({
    method: 'PATCH', path: '/runs/:id', permission: 'runs:write', summary: 'Rename a run, edit its tags or notes', tags,
    schema: { params: idParams, body: runPatch, response: runSchema },
    handler: async ({ db, params, body }) => {
      if (Object.keys(body).length === 0) throw badRequest('nothing to change: send name, notes or tags');
      const row = await updateRun(db, params.id, body);
      return runView(row, await runs.summaries(db.tenantId, [row.id]));
    },
  });
  ctx.route({
    method: 'DELETE', path: '/runs/:id', permission: 'runs:delete', summary: 'Delete a run with its points, logs, events, spans and artifacts', tags,
    description: 'A 503 names what could not be deleted (the run stays until all of it is gone); deleting again finishes the job.',
    schema: { params: idParams },
    handler: async ({ db, params, principal, ip }) => {
      await runs.delete(db, params.id, principal, ip);
    },
  });
}
