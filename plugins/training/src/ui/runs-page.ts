/// <reference lib="dom" />
import type { DataTableHandle, PageOf, ShellContext, TableQuery } from '@oneservice/plugin-sdk/ui';
import type { MetricSummary, Project, RunListItem, RunsStreamPoint } from './api-types.js';
import { SPARKLINE_METRIC, metricNamesIn, runColumns } from './runs/run-columns.js';
import { followRuns } from './runs/runs-live.js';
import { startGuide } from './runs/start-guide.js';

const STATUSES = ['running', 'finished', 'failed', 'killed'] as const;
const FILTERS = ['project', 'status', 'tag', 'param'];
/** New runs arrive in bursts (a sweep starts ten at once): one reload for a burst. */
const RELOAD_AFTER_CREATED_MS = 500;

/** A stream point's value as a summary holds it (NaN/Inf stay the strings the API uses). */
function withPoint(metrics: MetricSummary[], point: RunsStreamPoint): MetricSummary[] {
  const value = point.value;
  const known = metrics.find((m) => m.name === point.name);
  const lower = (a: number | string | null) => (typeof a === 'number' && typeof value === 'number' ? Math.min(a, value) : a ?? value);
  const upper = (a: number | string | null) => (typeof a === 'number' && typeof value === 'number' ? Math.max(a, value) : a ?? value);
  if (!known) return [...metrics, { name: point.name, last: value, min: value, max: value, last_step: point.step, count: 1 }];
  return metrics.map((m) => (m === known ? { ...m, last: value, min: lower(m.min), max: upper(m.max), last_step: point.step ?? m.last_step, count: m.count + 1 } : m));
}

/**
 * The runs list: the kit's server-side table with status, name, project, tags, user, start, duration,
 * a loss sparkline and any metric's last/min/max as columns (chosen in the column chooser, kept in
 * the URL), filters and sort in the URL, live status and values over GET /runs/stream, Compare for
 * the selected runs and Delete for roles that may. The global time range narrows it to runs active
 * in that range once the user picks one. An empty tenant sees how to send its first run.
 */
export function mountRuns(el: HTMLElement, ctx: ShellContext, selected: Set<string>): () => void {
  const { h } = ctx.ui;
  ctx.setTitle('Runs');
  const cleanups: (() => void)[] = [];
  let table: DataTableHandle<RunListItem> | null = null;
  let metricNames: string[] = metricNamesIn((ctx.router.location.query.get('cols') ?? '').split(','));
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;

  // The picker's default (the last hour) would hide every older run: the list follows the time range
  // only once the user picked one (it is then in the URL), and says which it shows.
  const rangeChosen = () => ctx.router.location.query.has('from');
  const rangeNote = h('span', { class: 'muted', 'aria-live': 'polite' });
  const showAll = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => ctx.router.setQuery({ from: null, to: null, refresh: null }) }, 'Show all');
  const describeRange = () => {
    rangeNote.textContent = rangeChosen() ? 'Runs active in the chosen time range' : 'Runs of all time (pick a time range to narrow)';
    showAll.hidden = !rangeChosen();
  };

  const compare = h('button', { type: 'button', class: 'btn btn-default', disabled: true }, 'Compare');
  const onSelection = (keys: string[]) => {
    selected.clear();
    for (const k of keys) selected.add(k);
    compare.disabled = keys.length < 2;
    compare.textContent = keys.length >= 2 ? `Compare ${keys.length} runs` : 'Compare';
    compare.title = keys.length < 2 ? 'Select two or more runs to compare them' : '';
  };
  compare.addEventListener('click', () => {
    const keys = table?.selection() ?? [];
    if (keys.length >= 2) ctx.router.navigate(`/training/compare?runs=${keys.map(encodeURIComponent).join(',')}`);
  });

  const canDelete = ctx.session.can('runs:delete');
  const remove = async (run: RunListItem) => {
    const sure = await ctx.ui.confirm(`Delete run “${run.name}”?`, 'Its points, logs, events, spans and artifacts are deleted too. This cannot be undone.', 'Delete run');
    if (!sure) return;
    await ctx.api.delete(`/runs/${encodeURIComponent(run.id)}`);
    ctx.ui.toast(`Run “${run.name}” deleted`, 'success');
    await table?.reload();
  };
  const columns = () => runColumns({ ctx, metricNames, ...(canDelete ? { onDelete: (run) => void remove(run).catch(() => undefined) } : {}) });

  const fetchRuns = async (query: TableQuery, signal: AbortSignal): Promise<PageOf<RunListItem>> => {
    const params: Record<string, string> = { ...ctx.ui.listQuery(query), sparkline: SPARKLINE_METRIC };
    if (rangeChosen()) {
      const { start, end } = ctx.timeRange.resolve();
      params.active_from = String(start.getTime());
      params.active_to = String(end.getTime());
    }
    const page = await ctx.api.get<PageOf<RunListItem>>('/runs', { query: params, signal, silent: true });
    // Nothing at all (no filter, search or range narrowing it): an empty tenant, which needs the guide.
    if (page.total === 0 && !query.q && Object.keys(query.filters).length === 0 && !rangeChosen()) showGuide();
    // The chooser offers every metric of the runs seen so far, and keeps those the URL names.
    const names = [...new Set([...metricNames, ...page.items.flatMap((r) => r.metrics.map((m) => m.name))])].sort();
    if (names.join('\n') !== metricNames.join('\n')) {
      metricNames = names;
      table?.setColumns(columns());
    }
    return page;
  };

  const filterBar = (projects: PageOf<Project> | null) =>
    ctx.ui.filterBar({
      fields: [
        projects
          ? { id: 'project', label: 'Project', kind: 'select', options: projects.items.map((p) => ({ value: p.name, label: p.name })) }
          : { id: 'project', label: 'Project', kind: 'text', placeholder: 'name' },
        { id: 'status', label: 'Status', kind: 'select', options: STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })) },
        { id: 'tag', label: 'Tag', kind: 'text', placeholder: 'key:value' },
        { id: 'param', label: 'Param', kind: 'text', placeholder: 'key:value' },
      ],
      onChange: () => undefined, // the table follows the URL (filterKeys)
    });

  let guideShown = false;
  const showGuide = () => {
    if (guideShown) return;
    guideShown = true;
    table?.destroy();
    table = null;
    el.replaceChildren(startGuide(ctx));
  };

  // The table asks for its first page at once; the project list (for the filter) comes beside it.
  const showTable = () => {
    guideShown = false;
    const filtersSlot = h('div', { class: 'filters-slot' }, filterBar(null).el);
    void ctx.api
      .get<PageOf<Project>>('/projects', { query: { page_size: 200, sort: 'name' }, silent: true })
      .then((projects) => filtersSlot.replaceChildren(filterBar(projects).el))
      .catch(() => undefined);
    table = ctx.ui.table<RunListItem>({
      id: 'training-runs',
      columns: columns(),
      rowKey: (r) => r.id,
      source: { kind: 'server', fetch: fetchRuns },
      filterKeys: FILTERS,
      defaultSort: { field: 'created_at', direction: 'desc' },
      searchable: true,
      selectable: true,
      urlColumns: true,
      onSelectionChange: onSelection,
      empty: { title: 'No runs match', detail: 'Change the filters or the time range.' },
      toolbar: [compare],
    });
    onSelection(table.selection());
    describeRange();
    if (!guideShown) el.replaceChildren(h('div', { class: 'page-toolbar' }, filtersSlot, h('span', { class: 'toolbar-spacer' }), rangeNote, showAll), table.el);
  };

  cleanups.push(
    followRuns(ctx, {
      created: () => {
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(() => (table ? void table.reload() : showTable()), RELOAD_AFTER_CREATED_MS);
      },
      status: (runId, status) => void table?.updateRow(runId, (run) => ({ ...run, status, ...(status === 'running' ? { ended_at: null } : { ended_at: run.ended_at ?? new Date().toISOString() }) })),
      metrics: (runId, points) => void table?.updateRow(runId, (run) => ({ ...run, metrics: points.reduce(withPoint, run.metrics) })),
    }),
    ctx.timeRange.subscribe((change) => {
      describeRange();
      // An auto-refresh tick reloads either way: it is how a user asks for fresh values.
      if (change.reason === 'refresh' || rangeChosen()) void table?.reload();
    }),
    ctx.router.subscribe((loc) => {
      // "Show all" (or back to an unranged URL) drops the activity filter.
      if (!table || loc.path !== '/training/runs') return;
      const shown = rangeNote.textContent;
      describeRange();
      if (shown !== rangeNote.textContent) void table.reload();
    }),
    () => clearTimeout(reloadTimer),
    () => table?.destroy(),
  );
  showTable();
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}
