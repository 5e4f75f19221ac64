/// <reference lib="dom" />
import type { DataTableHandle, ShellContext, TableColumn } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import { type MetricCell, metricDeltas, type Stat, STATS } from './metric-deltas.js';
import { formatNumber } from './number-format.js';
import { formatParam, type ParamRow, paramsDiff } from './params-diff.js';
import { runColour } from './run-colours.js';


export function runSwatch(ctx: ShellContext, index: number): HTMLElement {
  return ctx.ui.h('span', { class: 'cmp-swatch', style: `background:${runColour(index)}`, 'aria-hidden': 'true' });
}

const runTitle = (ctx: ShellContext, run: Run, index: number) => ctx.ui.h('span', { class: 'cmp-run-title' }, runSwatch(ctx, index), run.name);

/** The table ids carry the run ids: the column chooser remembers columns per comparison, not per position. */
const tableId = (kind: string, runs: readonly Run[]) => `compare-${kind}:${runs.map((r) => r.id).join(',')}`;

/**
 * Keys × runs. A key the runs disagree on (or that some run lacks) carries a "differs" mark, which
 * the row's highlight keys on; `onlyDiff` keeps just those rows.
 */
export function paramsTable(ctx: ShellContext, runs: readonly Run[], onlyDiff: boolean): DataTableHandle<ParamRow> {
  const { h } = ctx.ui;
  const rows = paramsDiff(runs.map((r) => r.params)).filter((row) => !onlyDiff || row.differs);
  const columns: TableColumn<ParamRow>[] = [
    {
      id: 'key', title: 'Param', sortable: true, value: (row) => row.key,
      render: (row) => h('span', { class: row.differs ? 'cmp-param cmp-differs' : 'cmp-param' }, row.key, row.differs ? h('span', { class: 'badge cmp-differs-badge' }, 'differs') : null),
    },
    ...runs.map((run, i): TableColumn<ParamRow> => ({
      id: `run:${run.id}`, title: run.name, value: (row) => formatParam(row.values[i]),
      render: (row) => h('span', { class: row.values[i] === undefined ? 'muted' : undefined }, formatParam(row.values[i])),
    })),
  ];
  return ctx.ui.table({
    id: tableId('params', runs), columns, rowKey: (row) => row.key, source: { kind: 'local', rows }, urlState: false, searchable: true,
    empty: { title: onlyDiff ? 'These runs have the same params' : 'These runs logged no params' },
  });
}

interface DeltaRow {
  metric: string;
  runIndex: number;
  cells: Record<Stat, MetricCell>;
}

function deltaCell(ctx: ShellContext, cell: MetricCell, isBaseline: boolean): Node | string {
  if (isBaseline) return ctx.ui.h('span', { class: 'muted' }, 'baseline');
  if (cell.delta === null) return '—';
  const sign = cell.delta > 0 ? '+' : '';
  const relative = cell.relative === null ? '' : ` (${sign}${(cell.relative * 100).toFixed(1)}%)`;
  return ctx.ui.h('span', { class: `cmp-delta${cell.delta > 0 ? ' is-up' : cell.delta < 0 ? ' is-down' : ''}` }, `${sign}${formatNumber(cell.delta)}${relative}`);
}

/** Metric × run rows: last, min and max, each next to its delta vs the baseline run. */
export function deltasTable(ctx: ShellContext, runs: readonly Run[], baselineIndex: number): DataTableHandle<DeltaRow> {
  const rows: DeltaRow[] = metricDeltas(runs.map((r) => r.metrics), baselineIndex)
    .flatMap((row) => row.cells.map((cells, runIndex) => ({ metric: row.name, runIndex, cells })));
  const columns: TableColumn<DeltaRow>[] = [
    { id: 'metric', title: 'Metric', sortable: true, value: (row) => row.metric },
    { id: 'run', title: 'Run', value: (row) => runs[row.runIndex]!.name, render: (row) => runTitle(ctx, runs[row.runIndex]!, row.runIndex) },
    ...STATS.flatMap((stat): TableColumn<DeltaRow>[] => [
      { id: stat, title: stat, align: 'right', sortable: true, value: (row) => row.cells[stat].value, render: (row) => formatNumber(row.cells[stat].value) },
      {
        id: `delta-${stat}`, title: `Δ ${stat}`, align: 'right', sortable: true, value: (row) => row.cells[stat].delta,
        render: (row) => deltaCell(ctx, row.cells[stat], row.runIndex === baselineIndex),
      },
    ]),
  ];
  return ctx.ui.table({
    id: tableId('metrics', runs), columns, rowKey: (row) => `${row.metric}|${runs[row.runIndex]!.id}`, source: { kind: 'local', rows },
    urlState: false, searchable: true, empty: { title: 'These runs logged no metrics yet' },
  });
}
