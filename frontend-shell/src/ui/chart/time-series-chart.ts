import type { ChartHandle, PanelFrame, TimeRange, TimeSeries, TimeSeriesChartOptions } from '@oneservice/plugin-sdk/ui';
import type { ThemeController } from '../../core/theme/theme.js';
import { absoluteRange } from '../../core/time/time-expression.js';
import { timeseriesPanel } from '../panel/timeseries-panel.js';

const framesOf = (series: readonly TimeSeries[]): PanelFrame[] =>
  series.map((s) => ({ name: s.name, x: { kind: 'time', values: s.points.map((p) => p.t) }, fields: [{ name: s.name, displayName: s.name, values: s.points.map((p) => p.v) }] }));

/**
 * The kit's older time-series call, kept for the pages that use it: a timeseries panel over time
 * whose drag-to-zoom sets the global time range by default, so every card of the page follows.
 */
export function createTimeSeriesChart(timeRange: TimeRange, theme: ThemeController) {
  return function timeSeriesChart(options: TimeSeriesChartOptions): ChartHandle {
    const onZoom = options.onZoom ?? ((start: Date, end: Date) => timeRange.set({ ...absoluteRange(start, end), refresh: null }));
    const panel = timeseriesPanel(
      {
        type: 'timeseries',
        frames: framesOf(options.series),
        height: options.height,
        empty: { title: 'No data in this time range', detail: 'Widen the range or check that data is being sent.' },
        options: {
          draw: options.type === 'bar' ? 'bars' : 'line',
          drawSwitch: options.typeSwitch !== false,
          legend: true,
          onZoom: (range) => {
            if (range) onZoom(new Date(range.from), new Date(range.to));
          },
        },
      },
      theme,
      options.format,
    );
    return {
      el: panel.el,
      setSeries: (series) => panel.setFrames(framesOf(series)),
      setType: (type) => panel.setOptions({ draw: type === 'bar' ? 'bars' : 'line' }),
      dispose: () => panel.dispose(),
    };
  };
}
