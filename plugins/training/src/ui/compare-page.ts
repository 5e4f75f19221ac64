/// <reference lib="dom" />
import type { ApiErrorLike, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from './api-types.js';
import { type CompareChartsHandle, compareCharts } from './compare/compare-charts.js';
import { type CompareAxis, type CompareState, compareQuery, readCompareState, withRuns } from './compare/compare-state.js';
import { deltasTable, paramsTable, runSwatch } from './compare/compare-tables.js';
import { runPicker } from './compare/run-picker.js';

const AXIS_LABELS: Record<CompareAxis, string> = { step: 'Step', epoch: 'Epoch', time: 'Time' };

/** A run of the URL that could not be opened (deleted, or not this tenant's: the server answers 404 alike). */
interface Missing {
  id: string;
  reason: string;
}

/**
 * `/training/compare?runs=a,b,…`: the runs overlaid per metric (one colour per run everywhere on the
 * page), their params side by side with the differing keys marked, and every metric's last/min/max
 * with its delta vs the baseline run. All of it is URL state — `runs`, `baseline`, `by`, `smooth`,
 * `diff` — so a reload or a shared link shows the same comparison.
 */
export async function renderCompare(el: HTMLElement, ctx: ShellContext, selected: Set<string>): Promise<void> {
  const { h } = ctx.ui;
  ctx.setTitle('Compare runs');
  const root = h('div', { class: 'cmp-page' });
  el.replaceChildren(root);

  // Ticked on the runs list but opened without a `runs` parameter: the selection becomes the URL.
  if (!ctx.router.location.query.get('runs') && selected.size > 0) {
    ctx.router.setQuery({ runs: [...selected].join(',') }, { replace: true });
  }

  const runCache = new Map<string, Promise<Run>>();
  const loadRun = (id: string) => {
    let run = runCache.get(id);
    if (!run) {
      run = ctx.api.get<Run>(`/api/v1/runs/${encodeURIComponent(id)}`, { silent: true });
      // A failed read is not cached: the run may appear (or the network come back) on the next try.
      run.catch(() => runCache.delete(id));
      runCache.set(id, run);
    }
    return run;
  };

  const header = h('div', { class: 'cmp-header' });
  const controls = h('div', { class: 'cmp-controls' });
  const chartsArea = h('div', { class: 'cmp-charts' });
  const tablesArea = h('div', { class: 'card-grid cmp-tables' });
  root.append(h('h2', { class: 'os-page-title' }, 'Compare runs'), header, controls, chartsArea, tablesArea);

  let state = readCompareState(ctx.router.location.query);
  let runs: Run[] = [];
  let charts: CompareChartsHandle | null = null;
  let chartsKey = '';
  let generation = 0;

  const update = (next: CompareState) => ctx.router.setQuery(compareQuery(next), { replace: false, keepTimeRange: true });

  const drawHeader = (missing: Missing[]) => {
    const chips = runs.map((run, i) => {
      const isBaseline = run.id === state.baseline;
      return h('li', { class: `cmp-chip${isBaseline ? ' is-baseline' : ''}`, 'data-run': run.id },
        runSwatch(ctx, i),
        h('a', { href: ctx.router.href(`/training/runs/${encodeURIComponent(run.id)}`), class: 'cmp-chip-name', title: `${run.project} · ${run.status}` }, run.name),
        isBaseline
          ? h('span', { class: 'badge' }, 'baseline')
          : h('button', { type: 'button', class: 'btn btn-ghost cmp-chip-action', onclick: () => update({ ...state, baseline: run.id }) }, 'Set as baseline'),
        h('button', {
          type: 'button', class: 'btn btn-ghost icon-btn cmp-chip-remove', 'aria-label': `Remove ${run.name} from the comparison`, title: 'Remove',
          onclick: () => update(withRuns(state, state.runs.filter((id) => id !== run.id))),
        }, '×'),
      );
    });
    const notes = missing.map((m) => h('li', { class: 'cmp-chip is-missing', 'data-run': m.id },
      h('span', {}, `${m.id}: ${m.reason}`),
      h('button', { type: 'button', class: 'btn btn-ghost icon-btn', 'aria-label': `Remove ${m.id} from the comparison`, onclick: () => update(withRuns(state, state.runs.filter((id) => id !== m.id))) }, '×'),
    ));
    const picker = runPicker(ctx, { exclude: () => state.runs, onPick: (run) => update(withRuns(state, [...state.runs, run.id])) });
    header.replaceChildren(h('ul', { class: 'cmp-chips', 'aria-label': 'Compared runs' }, ...chips, ...notes), picker);
  };

  const drawControls = () => {
    const axis = h('div', { class: 'segmented', role: 'group', 'aria-label': 'X axis' },
      (Object.keys(AXIS_LABELS) as CompareAxis[]).map((by) => h('button', {
        type: 'button', class: 'segmented-btn', 'aria-pressed': String(state.by === by), onclick: () => update({ ...state, by }),
      }, AXIS_LABELS[by])),
    );
    const smoothValue = h('output', { class: 'cmp-smooth-value' }, state.smooth.toFixed(2));
    const smooth = h('input', { type: 'range', min: '0', max: '0.99', step: '0.01', value: String(state.smooth), 'aria-label': 'Smoothing', class: 'cmp-smooth' });
    smooth.addEventListener('input', () => {
      smoothValue.textContent = Number(smooth.value).toFixed(2);
      charts?.setSmoothing(Number(smooth.value));
    });
    // The URL takes the value once the slider is let go; the charts follow it while dragging.
    smooth.addEventListener('change', () => ctx.router.setQuery({ smooth: Number(smooth.value) > 0 ? smooth.value : null }, { replace: true }));
    controls.replaceChildren(
      h('label', { class: 'cmp-control' }, h('span', { class: 'filter-label' }, 'X axis'), axis),
      h('label', { class: 'cmp-control' }, h('span', { class: 'filter-label' }, 'Smoothing'), h('span', { class: 'cmp-smooth-row' }, smooth, smoothValue)),
    );
  };

  const drawTables = () => {
    const baselineIndex = Math.max(0, runs.findIndex((r) => r.id === state.baseline));
    const diffToggle = h('label', { class: 'check' },
      h('input', { type: 'checkbox', checked: state.onlyDiff, onchange: (ev: Event) => update({ ...state, onlyDiff: (ev.target as HTMLInputElement).checked }) }),
      'Only differences');
    const params = ctx.ui.card({ title: 'Params', subtitle: 'Keys whose values differ are highlighted', span: 12, actions: [diffToggle], body: paramsTable(ctx, runs, state.onlyDiff).el });
    const baseline = runs[baselineIndex]!;
    const metrics = ctx.ui.card({ title: 'Metrics', subtitle: `Last, min and max; Δ vs the baseline ${baseline.name}`, span: 12, body: deltasTable(ctx, runs, baselineIndex).el });
    params.el.classList.add('cmp-params-card');
    metrics.el.classList.add('cmp-metrics-card');
    tablesArea.replaceChildren(params.el, metrics.el);
  };

  const render = async () => {
    const mine = ++generation;
    state = readCompareState(ctx.router.location.query);
    if (state.runs.length === 0) {
      charts?.dispose();
      charts = null;
      chartsKey = '';
      runs = [];
      drawHeader([]);
      controls.replaceChildren();
      tablesArea.replaceChildren();
      chartsArea.replaceChildren(ctx.ui.empty({
        title: 'Pick runs to compare',
        detail: 'Add runs with the search box above, or tick runs on the runs list and press Compare.',
        action: { label: 'Go to runs', onClick: () => ctx.router.navigate('/training/runs') },
      }));
      return;
    }
    const answers = await Promise.allSettled(state.runs.map(loadRun));
    if (mine !== generation) return;
    runs = [];
    const missing: Missing[] = [];
    answers.forEach((answer, i) => {
      if (answer.status === 'fulfilled') runs.push(answer.value);
      else missing.push({ id: state.runs[i]!, reason: (answer.reason as ApiErrorLike).status === 404 ? 'not found' : (answer.reason as Error).message });
    });
    // The baseline is a run that opened; the first one when the chosen one did not.
    if (!runs.some((r) => r.id === state.baseline)) state = { ...state, baseline: runs[0]?.id ?? null };
    drawHeader(missing);
    if (runs.length === 0) {
      charts?.dispose();
      charts = null;
      chartsKey = '';
      controls.replaceChildren();
      tablesArea.replaceChildren();
      chartsArea.replaceChildren(ctx.ui.empty({ title: 'None of these runs can be opened', detail: 'They were deleted, or they belong to another tenant.' }));
      return;
    }
    drawControls();
    drawTables();
    // Charts are redrawn only when what they show changes, not on a baseline or params toggle.
    const key = JSON.stringify([runs.map((r) => r.id), state.by]);
    if (key !== chartsKey || !charts) {
      chartsKey = key;
      charts?.dispose();
      charts = compareCharts(ctx, runs, state.by, state.smooth);
      chartsArea.replaceChildren(charts.el);
    } else {
      charts.setSmoothing(state.smooth);
    }
  };

  const unsubscribe = ctx.router.subscribe((location) => {
    // The page root is replaced when the user leaves Compare; this listener goes with it.
    if (!root.isConnected || !location.path.startsWith('/training/compare')) {
      unsubscribe();
      charts?.dispose();
      return;
    }
    void render().catch(showError);
  });
  const showError = (error: Error) => chartsArea.replaceChildren(ctx.ui.error({ title: 'This comparison could not be loaded', detail: error.message }));
  await render();
}
