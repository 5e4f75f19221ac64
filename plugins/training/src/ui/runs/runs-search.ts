/// <reference lib="dom" />
import type { PageOf, SearchProvider, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Project, RunListItem } from '../api-types.js';

/** Ctrl+K finds runs by name, id, client id or tag (the list's own `q`), and projects by name. */
export function trainingSearchProviders(ctx: ShellContext): SearchProvider[] {
  if (!ctx.session.can('runs:read') || !ctx.session.tenant) return [];
  const runs: SearchProvider = {
    id: 'training-runs',
    title: 'Runs',
    minQueryLength: 2,
    async search(q, signal) {
      const page = await ctx.api.get<PageOf<RunListItem>>('/runs', { query: { q, page_size: 8 }, signal, silent: true });
      return page.items.map((run) => ({ id: run.id, title: run.name, subtitle: `${run.project} · ${run.status}`, href: `/training/runs/${encodeURIComponent(run.id)}` }));
    },
  };
  const projects: SearchProvider = {
    id: 'training-projects',
    title: 'Projects',
    minQueryLength: 2,
    async search(q, signal) {
      const page = await ctx.api.get<PageOf<Project>>('/projects', { query: { q, page_size: 8 }, signal, silent: true });
      return page.items.map((p) => ({
        id: p.id,
        title: p.name,
        subtitle: p.run_count === undefined ? 'Project' : `Project · ${p.run_count} ${p.run_count === 1 ? 'run' : 'runs'}`,
        href: `/training/runs?project=${encodeURIComponent(p.name)}`,
      }));
    },
  };
  return [runs, projects];
}
