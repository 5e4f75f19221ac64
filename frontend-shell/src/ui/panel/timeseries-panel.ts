import type { PanelAppend, PanelFrame, PanelHandle, PanelXRange, StatPanelOptions, TimeseriesPanelOptions, TimeseriesPanelSpec } from '@oneservice/plugin-sdk/ui';
import type { ThemeController } from '../../core/theme/theme.js';
import { compactNumber, formatDateTime, h } from '../dom.js';
import { emptyState, errorState, loadingState } from '../states.js';
import { readChartColors } from '../chart/chart-theme.js';
import { loadEcharts } from '../chart/echarts-loader.js';
import { appendPoints, axisNumber, bandData, bandMatters, ema, fieldConfig, formatPanelValue, lineData, nonFiniteMarks, seriesName } from './panel-data.js';

type Echarts = Awaited<ReturnType<typeof loadEcharts>>['echarts'];
type EChart = ReturnType<Echarts['init']>;

/** A colour option may name a theme variable (`--chart-3`) so that it follows the theme. */
function resolveColor(color: string | undefined, fallback: string): string {
  if (!color) return fallback;
  if (!color.startsWith('--')) return color;
  return getComputedStyle(document.documentElement).getPropertyValue(color).trim() || fallback;
}

/**
 * Panels of a group are connected in ECharts (crosshair and tooltip) and share the zoom: a drag on
 * one zooms every panel of the group on the same x kind, and Reset zoom resets them all.
 */
interface GroupMember {
  kind(): PanelXRange['kind'];
  zoomTo(range: PanelXRange | null): void;
}
const groups = new Map<string, Set<GroupMember>>();
const membersOf = (group: string | undefined, self: GroupMember) => (group ? [...(groups.get(group) ?? [])] : [self]);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface DrawnSeries {
  key: string;
  name: string;
  color: string;
  format: (v: number | null | undefined) => string;
  frame: PanelFrame;
  field: PanelFrame['fields'][number];
}

/**
 * The timeseries panel: lines (or bars) over time, step or epoch, with the min/max band of
 * downsampled buckets, EMA smoothing over the faint raw curve, NaN/±Inf marks, log scale, drag to
 * zoom, a crosshair shared by the panels of a group and live append. The legend is HTML buttons (reachable
 * by keyboard, read by screen readers); the canvas carries an aria-label that says what it shows.
 * `data-drawn` is set once ECharts has painted the current data: tests and screenshots wait on it.
 */
export function timeseriesPanel(initial: TimeseriesPanelSpec, theme: ThemeController, format: (value: number) => string = axisNumber): PanelHandle {
  let spec: TimeseriesPanelSpec = { ...initial, options: { ...initial.options } };
  let frames: readonly PanelFrame[] = spec.frames;
  let chart: EChart | null = null;
  let disposed = false;
  let zoom: PanelXRange | null = null;
  let pending: PanelAppend[] = [];
  let frameRequest = 0;
  const hidden = new Set<string>();
  const opts = (): TimeseriesPanelOptions => spec.options ?? {};

  const plot = h('div', { class: 'chart-plot', style: `height:${spec.height ?? 240}px`, role: 'img' });
  const overlay = h('div', { class: 'chart-overlay' }, loadingState('Loading chart…'));
  const legend = h('div', { class: 'chart-legend', role: 'group', 'aria-label': 'Series' });
  const member: GroupMember = {
    kind: () => xKind(),
    zoomTo: (range) => {
      if (range === null ? zoom !== null : range.kind === xKind()) setZoom(range);
    },
  };
  const group = initial.options?.group;
  if (group) {
    if (!groups.has(group)) groups.set(group, new Set());
    groups.get(group)!.add(member);
  }
  const resetZoom = h('button', { type: 'button', class: 'btn btn-ghost btn-small panel-reset-zoom', hidden: true, onclick: () => {
    for (const m of membersOf(group, member)) m.zoomTo(null);
  } }, 'Reset zoom');
  /** The band the user drags across the plot (an HTML overlay: ECharts' brush costs 10 KB gzip and a redraw per panel). */
  const selection = h('div', { class: 'panel-selection', hidden: true, 'aria-hidden': 'true' });
  const drawGroup = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Chart type' });
  const drawButtons = (['line', 'bars'] as const).map((d) =>
    h('button', { type: 'button', class: 'segmented-btn', 'aria-pressed': String((opts().draw ?? 'line') === d), onclick: () => handle.setOptions({ draw: d }) }, d === 'line' ? 'Line' : 'Bars'),
  );
  drawGroup.append(...drawButtons);
  const el = h(
    'div',
    { class: 'chart panel panel-timeseries' },
    h('div', { class: 'chart-toolbar' }, spec.title ? h('h3', { class: 'panel-title', title: spec.title }, spec.title) : null, legend, h('span', { class: 'toolbar-spacer' }), resetZoom, h('span', { class: 'muted chart-hint' }, 'Drag to zoom'), opts().drawSwitch ? drawGroup : null),
    h('div', { class: 'chart-stage' }, plot, selection, overlay),
  );

  const xKind = () => frames[0]?.x.kind ?? 'time';
  const formatX = (x: number) => (xKind() === 'time' ? formatDateTime(x) : `${xKind()} ${compactNumber(x)}`);
  const hasData = () => frames.some((f) => f.fields.some((field) => field.values.some((v) => v !== null)));

  function setZoom(next: PanelXRange | null) {
    zoom = next;
    resetZoom.hidden = next === null;
    render();
    opts().onZoom?.(next);
  }

  function renderLegend(drawn: DrawnSeries[]) {
    const show = opts().legend ?? drawn.length + hidden.size > 1;
    legend.hidden = !show;
    if (!show) return legend.replaceChildren();
    const all = allSeries();
    legend.replaceChildren(
      ...all.map((s) =>
        h(
          'button',
          { type: 'button', class: 'legend-item', 'aria-pressed': String(!hidden.has(s.name)), title: hidden.has(s.name) ? `Show ${s.name}` : `Hide ${s.name}`, onclick: () => {
            if (hidden.has(s.name)) hidden.delete(s.name);
            else hidden.add(s.name);
            render();
            [...legend.querySelectorAll<HTMLElement>('.legend-item')].find((b) => b.textContent === s.name)?.focus();
          } },
          h('span', { class: 'legend-swatch', style: `background:${s.color}`, 'aria-hidden': 'true' }),
          s.name,
        ),
      ),
    );
  }

  /** Every field of every frame with its resolved config, name and colour (hidden ones included). */
  function allSeries() {
    const palette = readChartColors().palette;
    const out: DrawnSeries[] = [];
    let i = 0;
    for (const frame of frames) {
      for (const field of frame.fields) {
        const config = fieldConfig(spec.fieldConfig, spec.overrides, frame, field);
        const index = i++;
        if (config.hidden) continue;
        const name = seriesName(config, frame, field, frames.length);
        out.push({ key: String(index), name, color: resolveColor(config.color, palette[index % palette.length]!), format: (v) => formatPanelValue(v, config, format), frame, field });
      }
    }
    return out;
  }

  function option() {
    const c = readChartColors();
    const danger = c.danger;
    const log = opts().scale === 'log';
    const smoothing = opts().smoothing ?? 0;
    const bars = opts().draw === 'bars';
    const showBand = opts().band !== false;
    const all = allSeries();
    const drawn = all.filter((s) => !hidden.has(s.name));
    const series: Record<string, unknown>[] = [];
    let marks = 0;
    let points = 0;
    for (const s of drawn) {
      const x = s.frame.x.values;
      points += x.length;
      if (showBand && !bars && bandMatters(s.field.band)) {
        const band = bandData(x, s.field.band!, log);
        const common = { type: 'line', stack: `band:${s.key}`, symbol: 'none', silent: true, connectNulls: false, lineStyle: { opacity: 0 }, z: 1 };
        series.push({ ...common, id: `band-lo:${s.key}`, name: s.name, data: band.lower });
        // The band's top edge stays faintly visible: it is where a spike averaged away in the line shows.
        series.push({ ...common, id: `band-hi:${s.key}`, name: s.name, data: band.height, lineStyle: { color: s.color, opacity: 0.45, width: 1 }, areaStyle: { color: s.color, opacity: 0.18 } });
      }
      const raw = lineData(x, s.field.values, log);
      const base = { name: s.name, type: bars ? 'bar' : 'line', showSymbol: raw.length === 1, symbolSize: 5, connectNulls: false, barMaxWidth: 12, color: s.color, z: 3 };
      if (smoothing > 0 && !bars) {
        series.push({ ...base, id: `raw:${s.key}`, data: raw, lineStyle: { width: 1, opacity: 0.28 }, itemStyle: { opacity: 0.28 }, z: 2 });
        series.push({ ...base, id: `main:${s.key}`, data: lineData(x, ema(s.field.values, smoothing), log), lineStyle: { width: 1.8 } });
      } else {
        series.push({ ...base, id: `main:${s.key}`, data: raw, lineStyle: { width: 1.5 } });
      }
      const bad = nonFiniteMarks(x, s.field.values, log);
      marks += bad.length;
      if (bad.length) {
        series.push({
          // A line series that draws only its symbols: no scatter chart to load for a few marks.
          id: `marks:${s.key}`, name: s.name, type: 'line', symbol: 'triangle', symbolSize: 9, showSymbol: true, showAllSymbol: true, silent: true, z: 4,
          lineStyle: { opacity: 0 }, itemStyle: { color: danger, borderColor: c.background, borderWidth: 1 },
          data: bad.map((m) => [m.x, m.y]),
        });
      }
    }
    // Markers ride on a series of their own (no data), so they show whatever series are hidden.
    const markers = (opts().markers ?? []).filter((m) => Number.isFinite(m.x));
    if (markers.length) {
      series.push({
        id: 'markers', type: 'line', data: [], silent: true, z: 5,
        markLine: {
          symbol: 'none', silent: true, animation: false,
          lineStyle: { color: c.text, type: 'dashed', width: 1, opacity: 0.7 },
          label: { show: true, position: 'insideEndTop', color: c.muted, fontSize: 11, formatter: (p: { data?: { name?: string } }) => p.data?.name ?? '' },
          data: markers.map((m) => ({ xAxis: m.x, name: m.label ?? '' })),
        },
      });
    }
    el.dataset.markers = markers.map((m) => String(m.x)).join(' ');
    const byKey = new Map(drawn.map((s) => [s.key, s]));
    const lastX = frames[0]?.x.values[frames[0].x.values.length - 1];
    el.dataset.xKind = xKind();
    el.dataset.points = String(points);
    el.dataset.marks = String(marks);
    el.dataset.smoothing = String(smoothing);
    el.dataset.scale = log ? 'log' : 'linear';
    if (lastX !== undefined) el.dataset.lastX = String(lastX);
    else delete el.dataset.lastX;
    const xs = frames.flatMap((f) => (f.x.values.length ? [f.x.values[0]!, f.x.values[f.x.values.length - 1]!] : []));
    // The canvas is invisible to screen readers; say what it shows.
    plot.setAttribute(
      'aria-label',
      `${spec.title ?? 'Chart'}: ${drawn.map((s) => s.name).join(', ') || 'no series'} over ${xKind()}` +
        (xs.length ? ` from ${formatX(Math.min(...xs))} to ${formatX(Math.max(...xs))}` : '') +
        `, ${points} points${smoothing > 0 ? `, smoothed ${smoothing}` : ''}${log ? ', log scale' : ''}${marks ? `, ${marks} NaN or infinite values marked` : ''}`,
    );
    return {
      drawn,
      option: {
        color: c.palette,
        backgroundColor: 'transparent',
        animation: false,
        textStyle: { color: c.text, fontFamily: 'inherit' },
        grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
        tooltip: {
          trigger: 'axis',
          backgroundColor: c.background,
          borderColor: c.grid,
          textStyle: { color: c.text, fontSize: 12 },
          axisPointer: { type: 'line', lineStyle: { color: c.muted } },
          formatter: (params: unknown) => tooltipHtml(params as TooltipParam[], byKey, smoothing > 0),
        },
        xAxis: {
          type: xKind() === 'time' ? 'time' : 'value',
          min: zoom?.from ?? 'dataMin',
          max: zoom?.to ?? 'dataMax',
          axisLine: { lineStyle: { color: c.grid } },
          axisLabel: { color: c.muted, hideOverlap: true, ...(xKind() === 'time' ? {} : { formatter: (v: number) => compactNumber(v) }) },
          splitLine: { show: false },
        },
        yAxis: { type: log ? 'log' : 'value', scale: true, axisLabel: { color: c.muted, formatter: (v: number) => format(v) }, splitLine: { lineStyle: { color: c.grid } } },
        series,
      },
    };

    function tooltipHtml(params: TooltipParam[], keys: Map<string, DrawnSeries>, smoothed: boolean): string {
      const first = params[0];
      if (!first) return '';
      const x = Array.isArray(first.value) ? first.value[0] : undefined;
      const rows: string[] = [];
      const byId = new Map(params.map((p) => [p.seriesId, p]));
      for (const p of params) {
        const [kind, key] = p.seriesId.split(':') as [string, string];
        if (kind !== 'main') continue;
        const s = keys.get(key);
        if (!s) continue;
        const index = p.dataIndex;
        const value = s.field.values[index];
        let text = `<b>${escapeHtml(s.format(smoothed ? (p.value as [number, number | null])[1] : value))}</b>`;
        if (smoothed) text += ` <span style="opacity:.7">raw ${escapeHtml(s.format(value))}</span>`;
        const lo = s.field.band?.min[index];
        const hi = s.field.band?.max[index];
        if (byId.has(`band-lo:${key}`) && lo !== hi) text += ` <span style="opacity:.7">min ${escapeHtml(s.format(lo))} · max ${escapeHtml(s.format(hi))}</span>`;
        rows.push(`<div><span style="display:inline-block;width:8px;height:8px;border-radius:2px;margin-right:6px;background:${s.color}"></span>${escapeHtml(s.name)}: ${text}</div>`);
      }
      return `<div style="margin-bottom:2px;opacity:.8">${escapeHtml(x === undefined ? '' : formatX(x))}</div>${rows.join('')}`;
    }
  }

  let awaitingFrames = spec.loading === true;
  function render() {
    if (awaitingFrames) return;
    overlay.hidden = hasData();
    if (!hasData()) overlay.replaceChildren(emptyState(spec.empty ?? { title: 'No data yet', detail: 'Points appear here as they are sent.' }));
    const { drawn, option: opt } = option();
    renderLegend(drawn);
    if (!chart) return;
    delete el.dataset.drawn;
    chart.setOption(opt, { notMerge: true, lazyUpdate: false });
  }

  loadEcharts().then(
    ({ echarts }) => {
      if (disposed) return;
      chart = echarts.init(plot, undefined, { renderer: 'canvas' });
      if (group) {
        chart.group = group;
        echarts.connect(group);
      }
      chart.on('finished', () => {
        el.dataset.drawn = 'true';
        if (el.dataset.lastX !== undefined) el.dataset.drawnLastX = el.dataset.lastX;
      });
      wireDragZoom(chart);
      render();
    },
    () => overlay.replaceChildren(errorState({ title: 'The chart library could not be loaded', detail: 'Reload the page to try again.' })),
  );

  // The observer also fires once when observing starts; ECharts already has that size.
  let size = '';
  const resize = new ResizeObserver(([entry]) => {
    const next = `${Math.round(entry?.contentRect.width ?? 0)}x${Math.round(entry?.contentRect.height ?? 0)}`;
    if (next === size) return;
    const first = size === '';
    size = next;
    if (!first) chart?.resize();
  });
  resize.observe(plot);

  /** Drag across the plot → a zoom to that x interval, for this panel's whole group. */
  function wireDragZoom(c: EChart) {
    const zr = c.getZr();
    let startX: number | null = null;
    let lastX = 0;
    const toX = (px: number) => (c.convertFromPixel({ xAxisIndex: 0 }, px) as unknown as number);
    zr.on('mousedown', (e: { offsetX: number; offsetY: number }) => {
      if (!c.containPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY])) return;
      startX = e.offsetX;
      lastX = e.offsetX;
    });
    zr.on('mousemove', (e: { offsetX: number }) => {
      if (startX === null) return;
      lastX = e.offsetX;
      selection.hidden = Math.abs(lastX - startX) < 3;
      selection.style.left = `${Math.min(startX, lastX)}px`;
      selection.style.width = `${Math.abs(lastX - startX)}px`;
    });
    const finish = () => {
      if (startX === null) return;
      const [a, b] = [Math.min(startX, lastX), Math.max(startX, lastX)];
      startX = null;
      selection.hidden = true;
      if (b - a < 6) return; // a click, not a drag
      const range = { kind: xKind(), from: toX(a), to: toX(b) };
      if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) return;
      for (const m of membersOf(group, member)) m.zoomTo(range);
    };
    zr.on('mouseup', finish);
    zr.on('globalout', finish);
  }
  const unsubscribeTheme = theme.subscribe(() => render());

  const handle: PanelHandle = {
    el,
    get spec() {
      return { ...spec, frames };
    },
    setFrames(next) {
      frames = next;
      awaitingFrames = false;
      if (zoom && zoom.kind !== xKind()) {
        zoom = null;
        resetZoom.hidden = true;
      }
      render();
    },
    setOptions(patch: Partial<TimeseriesPanelOptions & StatPanelOptions>) {
      const { reduce: _reduce, sparkline: _sparkline, ...own } = patch;
      const previousKind = xKind();
      spec = { ...spec, options: { ...spec.options, ...own } };
      drawButtons.forEach((b, i) => b.setAttribute('aria-pressed', String((i === 0 ? 'line' : 'bars') === (opts().draw ?? 'line'))));
      if (zoom && zoom.kind !== previousKind) zoom = null;
      render();
    },
    append(points) {
      pending.push(...points);
      if (frameRequest) return;
      frameRequest = requestAnimationFrame(() => {
        frameRequest = 0;
        const batch = pending;
        pending = [];
        frames = appendPoints(frames, batch);
        render();
      });
    },
    dispose() {
      disposed = true;
      if (group) {
        groups.get(group)?.delete(member);
        if (groups.get(group)?.size === 0) groups.delete(group);
      }
      if (frameRequest) cancelAnimationFrame(frameRequest);
      resize.disconnect();
      unsubscribeTheme();
      chart?.dispose();
      chart = null;
    },
  };
  render();
  return handle;
}

interface TooltipParam {
  seriesId: string;
  dataIndex: number;
  value: unknown;
}
