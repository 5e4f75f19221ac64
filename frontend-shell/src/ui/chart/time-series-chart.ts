import type { ChartHandle, TimeRange, TimeSeries, TimeSeriesChartOptions } from '@oneservice/plugin-sdk/ui';
import type { ThemeController } from '../../core/theme/theme.js';
import { absoluteRange } from '../../core/time/time-expression.js';
import { compactNumber, h } from '../dom.js';
import { emptyState, errorState, loadingState } from '../states.js';
import { readChartColors } from './chart-theme.js';
import { loadEcharts } from './echarts-loader.js';

type EChart = ReturnType<Awaited<ReturnType<typeof loadEcharts>>['echarts']['init']>;

/**
 * A time-series card body: hover tooltip, legend toggling, drag across the plot to zoom (which sets
 * the global time range by default), and a line/bar switch. The legend is HTML buttons rather than
 * ECharts' canvas legend so that it is reachable by keyboard and read by screen readers.
 * `data-drawn` on the element is set once ECharts has finished painting the current option: tests
 * and screenshots wait on it instead of guessing a delay.
 */
export function createTimeSeriesChart(timeRange: TimeRange, theme: ThemeController) {
  return function timeSeriesChart(options: TimeSeriesChartOptions): ChartHandle {
    let series = options.series;
    let type = options.type ?? 'line';
    let chart: EChart | null = null;
    let disposed = false;
    /** Series the user switched off in the legend, by name; kept across setSeries (same names). */
    const hidden = new Set<string>();
    const format = options.format ?? compactNumber;
    const onZoom = options.onZoom ?? ((start: Date, end: Date) => timeRange.set({ ...absoluteRange(start, end), refresh: null }));

    const plot = h('div', { class: 'chart-plot', style: `height:${options.height ?? 240}px`, role: 'img' });
    const switchGroup = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Chart type' });
    const typeButtons = (['line', 'bar'] as const).map((t) =>
      h('button', { type: 'button', class: 'segmented-btn', 'aria-pressed': String(t === type), onclick: () => handle.setType(t) }, t === 'line' ? 'Line' : 'Bars'),
    );
    switchGroup.append(...typeButtons);
    const overlay = h('div', { class: 'chart-overlay' }, loadingState('Loading chart…'));
    const legend = h('div', { class: 'chart-legend', role: 'group', 'aria-label': 'Series' });
    const el = h('div', { class: 'chart' }, h('div', { class: 'chart-toolbar' }, legend, h('span', { class: 'toolbar-spacer' }), h('span', { class: 'muted chart-hint' }, 'Drag to zoom'), options.typeSwitch === false ? null : switchGroup), h('div', { class: 'chart-stage' }, plot, overlay));

    function renderLegend(palette: string[]) {
      legend.replaceChildren(
        ...series.map((s, i) =>
          h(
            'button',
            { type: 'button', class: 'legend-item', 'aria-pressed': String(!hidden.has(s.name)), title: hidden.has(s.name) ? `Show ${s.name}` : `Hide ${s.name}`, onclick: () => {
              if (hidden.has(s.name)) hidden.delete(s.name);
              else hidden.add(s.name);
              render();
              legend.querySelectorAll<HTMLElement>('.legend-item')[i]?.focus();
            } },
            h('span', { class: 'legend-swatch', style: `background:${palette[i % palette.length]}`, 'aria-hidden': 'true' }),
            s.name,
          ),
        ),
      );
    }

    const hasData = () => series.some((s) => s.points.some((p) => p.v !== null));
    const describe = () => {
      // The canvas is invisible to screen readers; say what it shows.
      plot.setAttribute('aria-label', `Chart of ${series.map((s) => s.name).join(', ') || 'no series'}`);
    };

    function option() {
      const c = readChartColors();
      return {
        color: c.palette,
        backgroundColor: 'transparent',
        animation: false,
        textStyle: { color: c.text, fontFamily: 'inherit' },
        grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
        // ECharts' own legend only filters (the HTML legend above the plot is what users see and use).
        legend: { show: false, selected: Object.fromEntries(series.map((s) => [s.name, !hidden.has(s.name)])) },
        tooltip: {
          trigger: 'axis',
          backgroundColor: c.background,
          borderColor: c.grid,
          textStyle: { color: c.text, fontSize: 12 },
          valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '—'),
          axisPointer: { type: 'line', lineStyle: { color: c.muted } },
        },
        brush: { xAxisIndex: 'all', brushType: 'lineX', brushMode: 'single', throttleType: 'debounce', brushStyle: { color: 'rgba(99,44,166,0.15)', borderColor: c.palette[0] }, outOfBrush: { colorAlpha: 0.3 } },
        xAxis: { type: 'time', axisLine: { lineStyle: { color: c.grid } }, axisLabel: { color: c.muted, hideOverlap: true }, splitLine: { show: false } },
        yAxis: { type: 'value', axisLabel: { color: c.muted, formatter: (v: number) => format(v) }, splitLine: { lineStyle: { color: c.grid } } },
        series: series.map((s: TimeSeries) => ({
          name: s.name,
          type,
          showSymbol: false,
          connectNulls: false,
          sampling: 'lttb',
          lineStyle: { width: 1.5 },
          barMaxWidth: 12,
          data: s.points.map((p) => [p.t, p.v]),
        })),
      };
    }

    function render() {
      describe();
      overlay.hidden = hasData();
      if (!hasData()) overlay.replaceChildren(emptyState({ title: 'No data in this time range', detail: 'Widen the range or check that data is being sent.' }));
      if (!chart) return;
      const opt = option();
      renderLegend(opt.color);
      delete el.dataset.drawn;
      chart.setOption(opt, { notMerge: true });
      // Dragging on the plot starts a brush selection; it is re-armed after every render.
      chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
    }

    loadEcharts().then(
      ({ echarts }) => {
        if (disposed) return;
        chart = echarts.init(plot, undefined, { renderer: 'canvas' });
        chart.on('finished', () => {
          el.dataset.drawn = 'true';
        });
        chart.on('brushEnd', (params: unknown) => {
          const area = (params as { areas?: { coordRange?: [number, number] }[] }).areas?.[0];
          const range = area?.coordRange;
          chart?.dispatchAction({ type: 'brush', areas: [] });
          if (!range || range[1] - range[0] < 1000) return; // a click, not a drag
          onZoom(new Date(range[0]), new Date(range[1]));
        });
        render();
      },
      () => overlay.replaceChildren(errorState({ title: 'The chart library could not be loaded', detail: 'Reload the page to try again.' })),
    );

    const resize = new ResizeObserver(() => chart?.resize());
    resize.observe(plot);
    const unsubscribeTheme = theme.subscribe(() => render());

    const handle: ChartHandle = {
      el,
      setSeries(next) {
        series = next;
        render();
      },
      setType(next) {
        type = next;
        typeButtons.forEach((b, i) => b.setAttribute('aria-pressed', String((i === 0 ? 'line' : 'bar') === next)));
        render();
      },
      dispose() {
        disposed = true;
        resize.disconnect();
        unsubscribeTheme();
        chart?.dispose();
        chart = null;
      },
    };
    render();
    return handle;
  };
}
