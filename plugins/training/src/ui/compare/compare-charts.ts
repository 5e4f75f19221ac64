/// <reference lib="dom" />
import type { PanelFrame, PanelHandle, PanelOverride, PanelValue, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { Run } from '../api-types.js';
import { type CompareAxis } from './compare-state.js';
import { commonMetricNames } from './metric-deltas.js';
import { orderMetricNames } from './metric-order.js';

/**
 * Buckets per run and chart: about one per pixel column of a half-width chart for a pair, fewer as
 * more runs share the chart (ten overlaid curves need no more detail each; the min/max band still
 * keeps every spike).
 */
const pointsFor = (runs: number) => Math.max(200, Math.min(600, Math.round(3000 / Math.max(1, runs))));
/** Charts loading at once; the rest wait, so the first charts draw early on a slow link. */
const PARALLEL = 4;

type Wire = number | string | null;
interface Bucket {
  x: number;
  min: Wire;
  max: Wire;
  mean: Wire;
  last: Wire;
  count: number;
}
interface CompareAnswer {
  runs: { id: string; name: string }[];
  series: { run_id: string; exact: boolean; buckets: Bucket[] }[];
}

export interface CompareChartsHandle {
  el: HTMLElement;
  setSmoothing(weight: number): void;
  dispose(): void;
}

/** Non-finite values travel as "NaN" / "Infinity" / "-Infinity"; the panel marks them. */
const value = (v: Wire): PanelValue => (v === null ? null : typeof v === 'number' ? v : Number(v));

/** A frame name per run that is unique on the page (two runs may share a name). */
export function frameNames(runs: readonly Run[]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return runs.map((r) => ((counts.get(r.name) ?? 0) > 1 ? `${r.name} (${r.id.slice(0, 8)})` : r.name));
}

/**
 * One timeseries panel per metric with every compared run as its own frame, coloured by the run's
 * position (the same colour as in the tables). Metrics all runs share come first. Each panel is
 * filled by one `GET /runs/compare` for its metric (min/max per bucket kept, so a spike in one run
 * is never averaged away).
 */
export function compareCharts(ctx: ShellContext, runs: readonly Run[], by: CompareAxis, smoothing: number): CompareChartsHandle {
  const grid = ctx.ui.panelGrid();
  const summaries = runs.map((r) => r.metrics);
  const common = commonMetricNames(summaries);
  const others = summaries.flat().map((s) => s.name).filter((n) => !common.includes(n));
  const names = [...orderMetricNames(common), ...orderMetricNames(others)];
  const frameName = frameNames(runs);
  const ids = runs.map((r) => r.id).join(',');
  const controller = new AbortController();
  const el = ctx.ui.h('div', { class: 'cmp-chart-grid', 'aria-busy': 'true' }, grid.el);
  if (names.length === 0) {
    el.replaceChildren(ctx.ui.empty({ title: 'These runs logged no metrics yet' }));
    el.removeAttribute('aria-busy');
  }

  const panels = new Map<string, PanelHandle>();
  for (const name of names) {
    const overrides: PanelOverride[] = runs.map((_, i) => ({ match: `${frameName[i]}/${name}`, config: { color: `--chart-${(i % 8) + 1}` } }));
    const missing = runs.filter((r) => !r.metrics.some((m) => m.name === name)).map((r) => r.name);
    panels.set(name, grid.add({
      type: 'timeseries', title: name, frames: [], loading: true, overrides,
      description: missing.length ? `Not logged by ${missing.join(', ')}` : undefined,
      empty: { title: `No ${name} points on this axis`, detail: by === 'epoch' ? 'These runs logged it without an epoch.' : undefined },
      options: { smoothing, legend: true },
    }, { w: 12, h: 10 }));
  }

  const load = async (name: string) => {
    const answer = await ctx.api.get<CompareAnswer>('/api/v1/runs/compare', { query: { ids, name, by, points: pointsFor(runs.length) }, signal: controller.signal, silent: true });
    const frames: PanelFrame[] = answer.series.map((series, i) => ({
      name: frameName[i],
      x: { kind: by, values: series.buckets.map((b) => b.x) },
      fields: [{
        name, displayName: frameName[i],
        values: series.buckets.map((b) => value(series.exact ? b.last : b.mean)),
        ...(series.exact ? {} : { band: { min: series.buckets.map((b) => value(b.min)), max: series.buckets.map((b) => value(b.max)) } }),
      }],
    }));
    panels.get(name)?.setFrames(frames);
  };

  // A small pool in the order the charts are shown.
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      try {
        await load(name);
      } catch (error) {
        if (controller.signal.aborted) return;
        panels.get(name)?.el.replaceWith(ctx.ui.error({ title: `${name} could not be loaded`, detail: (error as Error).message }));
      }
    }
  };
  void Promise.all(Array.from({ length: Math.min(PARALLEL, names.length) }, worker)).then(() => el.removeAttribute('aria-busy'));

  return {
    el,
    setSmoothing(weight) {
      for (const p of panels.values()) p.setOptions({ smoothing: weight });
    },
    dispose() {
      controller.abort();
      grid.clear();
    },
  };
}
