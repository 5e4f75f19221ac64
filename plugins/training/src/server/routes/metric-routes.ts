import { badRequest, type PluginContext, runMetricsPort } from '@oneservice/plugin-sdk';
import { z } from 'zod';
import { checkAxisWindow, idParams, seriesSchema, seriesView, windowBound } from '../api-shapes.js';
import { getRun } from '../run-store.js';
import type { RunService } from '../run-service.js';

const axis = z.enum(['step', 'epoch', 'time']).default('step');
const points = z.coerce.number().int().min(1).max(10_000).default(1000);

export function registerMetricRoutes(ctx: PluginContext, runs: RunService): void {
  const tags = ['training'];
  ctx.route({
    method: 'GET', path: '/runs/:id/metrics', permission: 'runs:read', tags,
    summary: "A run's metric series (downsampled to `points` buckets, min/max kept), or its metric names",
    schema: {
      params: idParams,
      query: z.object({ name: z.string().min(1).max(200).optional(), by: axis, from: windowBound, to: windowBound, points }).superRefine(checkAxisWindow),
      response: z.union([z.object({ run_id: z.string(), names: z.array(z.string()) }), seriesSchema]),
    },
    handler: async ({ db, params, query }) => {
      const run = await getRun(db, params.id);
      if (!query.name) {
        const names = (await runs.summaries(db.tenantId, [run.id])).map((s) => s.name);
        return { run_id: run.id, names };
      }
      const port = await ctx.port(runMetricsPort, db.tenantId);
      return seriesView(await port.series({ runId: run.id, name: query.name, by: query.by, from: query.from, to: query.to, points: query.points }));
    },
  });
  ctx.route({
    method: 'GET', path: '/runs/compare', permission: 'runs:read', tags,
    summary: 'One metric of several runs on the same axis (A/B comparison)',
    schema: {
      query: z.object({ ids: z.string().min(1).max(2000), name: z.string().min(1).max(200), by: axis, from: windowBound, to: windowBound, points }).superRefine(checkAxisWindow),
      response: z.object({ name: z.string(), by: z.enum(['step', 'epoch', 'time']), runs: z.array(z.object({ id: z.string(), name: z.string() })), series: z.array(seriesSchema) }),
    },
    handler: async ({ db, query }) => {
      const ids = [...new Set(query.ids.split(',').map((s) => s.trim()).filter(Boolean))];
      if (ids.length === 0 || ids.length > 20) throw badRequest('ids names 1 to 20 run ids, comma-separated');
      const found = await Promise.all(ids.map((id) => getRun(db, id)));
      const port = await ctx.port(runMetricsPort, db.tenantId);
      const series = await Promise.all(
        found.map((run) => port.series({ runId: run.id, name: query.name, by: query.by, from: query.from, to: query.to, points: query.points })),
      );
      return { name: query.name, by: query.by, runs: found.map((r) => ({ id: r.id, name: r.name })), series: series.map(seriesView) };
    },
  });
}
