/// <reference lib="dom" />
import type { ChipTone, ShellContext, TableColumn } from '@oneservice/plugin-sdk/ui';
import type { MetricSummary, RunListItem, RunStatus } from '../api-types.js';

/** The metric the runs list draws as a sparkline in every row. */
export const SPARKLINE_METRIC = 'loss';

const TONES: Record<RunStatus, ChipTone> = { running: 'info', finished: 'ok', failed: 'danger', killed: 'warn' };

/** Numbers as ML people read them: 4 significant digits, exponent for the very small or large. */
export function formatValue(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value; // NaN, Infinity, -Infinity
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** "2h 5m", "3m 12s", "42s": a duration at the precision that matters. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours}h ${m % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export const durationOf = (run: Pick<RunListItem, 'started_at' | 'ended_at'>, now = Date.now()) =>
  (run.ended_at ? Date.parse(run.ended_at) : now) - Date.parse(run.started_at);

// Metric column ids: `metric.<name>` is the last value (and the API's sort key for it); min and max
// cannot be sorted on the server, so they have ids of their own.
export type MetricAggregate = 'last' | 'min' | 'max';
const PREFIX: Record<MetricAggregate, string> = { last: 'metric.', min: 'metric-min.', max: 'metric-max.' };
export const metricColumnId = (name: string, aggregate: MetricAggregate) => `${PREFIX[aggregate]}${name}`;

/** The metric names a list of column ids mentions (from the URL, before any row arrived). */
/** Tag chips shown in a row before "+N". */
const TAGS_SHOWN = 4;

export function metricNamesIn(columnIds: readonly string[]): string[] {
  const names = new Set<string>();
  for (const id of columnIds) {
    for (const prefix of Object.values(PREFIX)) if (id.startsWith(prefix)) names.add(id.slice(prefix.length));
  }
  return [...names];
}

function metricColumn(name: string, aggregate: MetricAggregate): TableColumn<RunListItem> {
  const summary = (run: RunListItem): MetricSummary | undefined => run.metrics.find((m) => m.name === name);
  const value = (run: RunListItem) => summary(run)?.[aggregate] ?? null;
  return {
    id: metricColumnId(name, aggregate),
    title: aggregate === 'last' ? name : `${name} (${aggregate})`,
    value: (run) => formatValue(value(run)),
    sortable: aggregate === 'last',
    hidden: true,
    align: 'right',
  };
}

export interface RunColumnsOptions {
  ctx: ShellContext;
  metricNames: readonly string[];
  /** Present for roles that may delete runs; the column is left out otherwise. */
  onDelete?: (run: RunListItem) => void;
}

export function runColumns({ ctx, metricNames, onDelete }: RunColumnsOptions): TableColumn<RunListItem>[] {
  const { h } = ctx.ui;
  const columns: TableColumn<RunListItem>[] = [
    { id: 'status', title: 'Status', sortable: true, value: (r) => r.status, render: (r) => ctx.ui.statusChip(r.status, TONES[r.status] ?? 'muted'), width: '110px' },
    {
      id: 'name', title: 'Name', sortable: true, value: (r) => r.name,
      render: (r) => h('a', { href: ctx.router.href(`/training/runs/${encodeURIComponent(r.id)}`) }, r.name),
    },
    // Hidden by default: the Project filter above the table names it, and the columns fit 1440 px without it.
    { id: 'project', title: 'Project', value: (r) => r.project, hidden: true },
    {
      id: 'tags', title: 'Tags', value: (r) => Object.entries(r.tags).map(([k, v]) => `${k}:${String(v)}`).join(' '),
      render: (r) => {
        const tags = Object.entries(r.tags).map(([k, v]) => `${k}:${String(v)}`);
        // Side by side, clamped to two lines by the kit; beyond TAGS_SHOWN a "+N" chip names the rest.
        const shown = tags.slice(0, TAGS_SHOWN).map((t) => h('span', { class: 'badge', title: t }, t));
        const rest = tags.slice(TAGS_SHOWN);
        return h('span', { class: 'badge-list is-compact', title: tags.join('  ') }, ...shown, rest.length ? h('span', { class: 'badge badge-more' }, `+${rest.length}`) : null);
      },
    },
    {
      id: 'user', title: 'User', value: (r) => r.user ?? '—',
      // The name part of an email is what tells runs apart in a list; the whole address is in the title.
      render: (r) => (r.user ? h('span', { title: r.user }, r.user.split('@')[0] || r.user) : h('span', { class: 'muted' }, '—')),
    },
    {
      id: 'started_at', title: 'Started', sortable: true, value: (r) => new Date(r.started_at).toLocaleString(),
      render: (r) => h('time', { datetime: r.started_at, title: new Date(r.started_at).toLocaleString() }, new Date(r.started_at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })),
    },
    { id: 'duration', title: 'Duration', align: 'right', value: (r) => formatDuration(durationOf(r)) },
    {
      id: 'sparkline', title: `${SPARKLINE_METRIC} curve`, width: '112px',
      render: (r) => {
        const values = r.sparkline ?? [];
        const finite = values.filter((v): v is number => v !== null);
        if (finite.length < 2) return h('span', { class: 'muted' }, '—');
        return ctx.ui.sparkline(values, { width: 96, height: 22, label: `${SPARKLINE_METRIC} from ${formatValue(finite[0])} to ${formatValue(finite[finite.length - 1])}` });
      },
    },
  ];
  for (const name of metricNames) for (const aggregate of ['last', 'min', 'max'] as const) columns.push(metricColumn(name, aggregate));
  if (onDelete) {
    columns.push({
      id: 'actions', title: 'Actions', width: '76px', align: 'right',
      render: (r) => h('button', { type: 'button', class: 'btn btn-ghost', 'aria-label': `Delete run ${r.name}`, onclick: () => onDelete(r) }, 'Delete'),
    });
  }
  return columns;
}
