/// <reference lib="dom" />
import type { PanelGridHandle, PanelHandle, PanelXRange, ShellContext } from '@oneservice/plugin-sdk/ui';
import type { LiveMetrics, MetricNames, MetricSeries, Run, SeriesAxis } from '../api-types.js';
import { type ChartSettings, chartSettingsQuery, readChartSettings } from './charts/chart-settings.js';
import { frameFromSeries, fromWire, isSystemMetric, liveX, markerX } from './charts/series-frame.js';
import type { RunTab } from './run-tab.js';
import { subscribeRunStream } from './run-stream.js';

/** Buckets per chart: about one per horizontal pixel of a third-of-the-page panel. */
const POINTS = 600;
const AXES: { id: SeriesAxis; label: string }[] = [{ id: 'step', label: 'Step' }, { id: 'epoch', label: 'Epoch' }, { id: 'time', label: 'Time' }];

export const chartsTab: RunTab = {
  id: 'charts',
  title: 'Charts',
  available: true,
  mount(el, ctx, run) {
    return mountCharts(el, ctx, run);
  },
};

function mountCharts(el: HTMLElement, ctx: ShellContext, run: Run): () => void {
  const { h } = ctx.ui;
  const base = `/api/v1/runs/${encodeURIComponent(run.id)}/metrics`;
  let settings = readChartSettings(ctx.router.location.query);
  let closed = false;
  let generation = 0;
  const panels = new Map<string, PanelHandle>();
  const group = `run-${run.id}`;
  const grids: PanelGridHandle[] = [];
  const content = h('div', { class: 'run-charts' });

  // ——— `at` (epoch ms, set by a click on a log line or an event): a marker on every chart ———
  const readAt = (query: URLSearchParams) => {
    const v = Number(query.get('at') ?? Number.NaN);
    return query.has('at') && Number.isFinite(v) ? v : null;
  };
  let at = readAt(ctx.router.location.query);
  /** Each panel's first (unzoomed) series: a marker is placed on the whole run, not on a zoomed window. */
  const loaded = new Map<string, MetricSeries>();
  /** A metric read by time, to find the step/epoch of a moment (step and epoch buckets carry no timestamps). */
  const timeReads = new Map<string, Promise<MetricSeries>>();
  const placeMarker = (name: string, panel: PanelHandle, series: MetricSeries) => {
    const moment = at;
    if (moment === null) return panel.setOptions({ markers: [] });
    const label = new Date(moment).toLocaleTimeString();
    if (series.by === 'time') return panel.setOptions({ markers: [{ x: moment, label }] });
    let read = timeReads.get(name);
    if (!read) timeReads.set(name, (read = fetchSeries(name, 'time', null)));
    read.then(
      (byTime) => {
        if (closed || at !== moment || loaded.get(name) !== series) return;
        const x = markerX(moment, series, byTime);
        panel.setOptions({ markers: x === null ? [] : [{ x, label: `${label} · ${series.by} ${x}` }] });
      },
      () => panel.setOptions({ markers: [] }),
    );
  };
  const unsubscribeAt = ctx.router.subscribe((location) => {
    const next = readAt(location.query);
    if (next === at) return;
    at = next;
    for (const [name, series] of loaded) {
      const panel = panels.get(name);
      if (panel) placeMarker(name, panel, series);
    }
  });

  const saveSettings = (next: Partial<ChartSettings>) => {
    settings = { ...settings, ...next };
    ctx.router.setQuery(chartSettingsQuery(settings), { replace: true });
  };

  // ——— toolbar: x axis, smoothing, log scale ———
  const axisButtons = AXES.map((a) =>
    h('button', { type: 'button', class: 'segmented-btn', 'aria-pressed': String(settings.x === a.id), dataset: { axis: a.id }, onclick: () => {
      if (settings.x === a.id) return;
      saveSettings({ x: a.id });
      axisButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.axis === a.id)));
      void load();
    } }, a.label),
  );
  const smoothingValue = h('output', { class: 'run-charts-smoothing-value', for: 'run-charts-smoothing' }, settings.smoothing.toFixed(2));
  const smoothingInput = h('input', { id: 'run-charts-smoothing', type: 'range', min: '0', max: '0.99', step: '0.01', value: String(settings.smoothing), 'aria-label': 'Smoothing (EMA weight)' });
  smoothingInput.addEventListener('input', () => {
    const smoothing = Number(smoothingInput.value);
    smoothingValue.textContent = smoothing.toFixed(2);
    for (const p of panels.values()) p.setOptions({ smoothing });
    saveSettings({ smoothing });
  });
  const logInput = h('input', { type: 'checkbox', checked: settings.log, id: 'run-charts-log' });
  logInput.addEventListener('change', () => {
    for (const p of panels.values()) p.setOptions({ scale: logInput.checked ? 'log' : 'linear' });
    saveSettings({ log: logInput.checked });
  });
  const toolbar = h(
    'div',
    { class: 'run-charts-toolbar', role: 'toolbar', 'aria-label': 'Chart settings' },
    h('span', { class: 'muted' }, 'X axis'),
    h('div', { class: 'segmented', role: 'group', 'aria-label': 'X axis' }, axisButtons),
    h('label', { class: 'run-charts-control', for: 'run-charts-smoothing' }, h('span', { class: 'muted' }, 'Smoothing'), smoothingInput, smoothingValue),
    h('label', { class: 'run-charts-control', for: 'run-charts-log' }, logInput, 'Log scale'),
    h('span', { class: 'toolbar-spacer' }),
    h('span', { class: 'muted run-charts-hint' }, 'Drag across a chart to zoom in; its points are fetched again at the finer range.'),
  );
  el.replaceChildren(toolbar, content);

  const fetchSeries = (name: string, axis: SeriesAxis, range: PanelXRange | null) => {
    // Steps and epochs are whole numbers to the API: widen a dragged interval to the ones it touches.
    const whole = axis !== 'time';
    const from = range ? (whole ? Math.floor(range.from) : Math.round(range.from)) : undefined;
    const to = range ? (whole ? Math.ceil(range.to) : Math.round(range.to)) : undefined;
    return ctx.api.get<MetricSeries>(base, { silent: true, query: { name, by: axis, points: POINTS, from, to } });
  };

  /** A panel per metric, drawn as soon as its own series arrives (one slow series holds up no other). */
  const addPanel = (grid: PanelGridHandle, name: string, series: Promise<MetricSeries>) => {
    const panel = grid.add(
      {
        type: 'timeseries',
        title: name,
        frames: [],
        loading: true,
        options: {
          smoothing: settings.smoothing,
          scale: settings.log ? 'log' : 'linear',
          legend: false,
          group,
          onZoom: (range) => {
            const asked = generation;
            fetchSeries(name, settings.x, range).then(
              (finer) => asked === generation && !closed && panel.setFrames([frameFromSeries(finer)]),
              (e: Error) => ctx.ui.toast(`${name}: ${e.message}`, 'error'),
            );
          },
        },
      },
      { w: 8, h: 9 },
    );
    panel.el.dataset.metric = name;
    panels.set(name, panel);
    const asked = generation;
    series.then(
      (s) => {
        if (asked !== generation || closed) return;
        loaded.set(name, s);
        placeMarker(name, panel, s);
        panel.setFrames([frameFromSeries(s)]);
      },
      (e: Error) => {
        if (asked !== generation || closed) return;
        panel.el.replaceChildren(ctx.ui.error({ title: 'This metric could not be loaded', detail: e.message }));
        panel.el.dataset.drawn = 'true';
      },
    );
  };

  async function load() {
    const mine = ++generation;
    for (const g of grids) g.clear();
    grids.length = 0;
    panels.clear();
    loaded.clear();
    content.replaceChildren(ctx.ui.loading('Loading charts…'));
    try {
      const { names } = await ctx.api.get<MetricNames>(base, { silent: true });
      if (mine !== generation || closed) return;
      if (names.length === 0) {
        content.replaceChildren(ctx.ui.empty({ title: 'No metrics yet', detail: run.status === 'running' ? 'Charts appear as soon as the run logs its first metric.' : 'This run logged no metrics.' }));
        return;
      }
      const sorted = [...names].sort((a, b) => a.localeCompare(b));
      content.replaceChildren();
      const section = (title: string, items: string[]) => {
        if (items.length === 0) return;
        const grid = ctx.ui.panelGrid({ group });
        grids.push(grid);
        content.append(h('section', { class: 'run-charts-section', 'aria-label': title }, h('h2', { class: 'run-charts-heading' }, title, h('span', { class: 'muted' }, ` ${items.length}`)), grid.el));
        for (const name of items) addPanel(grid, name, fetchSeries(name, settings.x, null));
      };
      section('Metrics', sorted.filter((m) => !isSystemMetric(m)));
      section('System', sorted.filter((m) => isSystemMetric(m)));
    } catch (e) {
      if (mine !== generation || closed) return;
      content.replaceChildren(ctx.ui.error({ title: 'The charts could not be loaded', detail: (e as Error).message, action: { label: 'Try again', onClick: () => void load() } }));
    }
  }

  // ——— live: the run stream's `metrics` events append to the panels ———
  let reloadSoon: ReturnType<typeof setTimeout> | null = null;
  const onLive = (message: LiveMetrics) => {
    let unknown = false;
    for (const point of message.points) {
      const panel = panels.get(point.name);
      if (!panel) {
        unknown = true;
        continue;
      }
      const x = liveX(point, settings.x);
      if (x === null) continue;
      panel.append([{ x, values: { [point.name]: fromWire(point.value) } }]);
    }
    // A metric logged for the first time needs its own panel: read the grid again (once for a
    // burst of new names, as when the system sampler starts).
    if (unknown && !reloadSoon) {
      reloadSoon = setTimeout(() => {
        reloadSoon = null;
        void load();
      }, 1500);
    }
  };

  void load();
  const unsubscribe = run.status === 'running' ? subscribeRunStream(ctx.api, run.id, ({ event, data }) => event === 'metrics' && onLive(data as LiveMetrics)) : () => {};
  return () => {
    closed = true;
    unsubscribe();
    unsubscribeAt();
    if (reloadSoon) clearTimeout(reloadSoon);
    for (const g of grids) g.clear();
  };
}
