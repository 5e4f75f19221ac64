import { pageSchema, type PluginContext } from '@oneservice/plugin-sdk';
import { badRequest } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { idParams, runSchema, runView } from '../api-shapes.js';
import { RUN_STATUSES } from '../ingest-schema.js';
import type { RunService } from '../run-service.js';
import { listRuns, updateRun } from '../run-store.js';

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

export const runListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
  sort: z
    .string()
    .regex(/^-?(created_at|updated_at|name|status|metric\.[A-Za-z0-9_.:/-]{1,200})$/, 'sort by created_at, updated_at, name, status or metric.<name>, with - for descending')
    .optional(),
  q: z.string().max(200).optional(),
  project: z.string().max(200).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  tag: keyValue('tag'),
  param: keyValue('param'),
});

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
    description: 'Filters: project (id or name), status, tag=key:value and param=key:value (repeatable, all must match), q (name). Sort: created_at, updated_at, name, status or metric.<name> (last value), - for descending.',
    schema: { query: runListQuery, response: pageSchema(runSchema) },
    handler: async ({ db, query }) => {
      const { rows, total } = await listRuns(db, { ...query, tags: query.tag, params: query.param });
      const summaries = await runs.summaries(db.tenantId, rows.map((r) => r.id));
      return { items: rows.map((row) => runView(row, summaries)), total, page: query.page, page_size: query.page_size };
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
