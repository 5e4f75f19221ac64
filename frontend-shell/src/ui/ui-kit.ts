import type { ChartHandle, DataTableHandle, PanelHandle, Router, TimeRange, UiKit } from '@oneservice/plugin-sdk/ui';
import type { ThemeController } from '../core/theme/theme.js';
import { card, grid } from './card.js';
import { createTimeSeriesChart } from './chart/time-series-chart.js';
import { codeViewer } from './code-viewer.js';
import { createDataTable } from './data-table/data-table.js';
import { toApiQuery } from './data-table/table-state.js';
import { confirmDialog, modal, sidePanel } from './dialog.js';
import { h } from './dom.js';
import { createFilterBar } from './filter-bar.js';
import { logViewer } from './log-viewer.js';
import { createPanel, createPanelGrid } from './panel/panel.js';
import { schemaForm } from './schema-form.js';
import { sparkline, stat, statusChip } from './stat.js';
import { tabs } from './tabs.js';
import { emptyState, errorState, loadingState } from './states.js';
import { createTimeRangePicker } from './time-range-picker.js';
import { toast } from './toast.js';
import { eventTimeline } from './event-timeline.js';
import { traceWaterfall } from './trace-waterfall.js';

export interface ScopedUiKit extends UiKit {
  /** Disposes the charts and tables this page created (called by the shell when the page unmounts). */
  disposeAll(): void;
}

/** A kit per mounted page: what it creates is tracked and cleaned up when the page goes away. */
export function createUiKit(router: Router, timeRange: TimeRange, theme: ThemeController): ScopedUiKit {
  const table = createDataTable(router);
  const chart = createTimeSeriesChart(timeRange, theme);
  const tables = new Set<DataTableHandle<unknown>>();
  const charts = new Set<ChartHandle>();
  const panels = new Set<PanelHandle>();
  const makePanel = createPanel(theme);
  const trackedPanel = (spec: Parameters<typeof makePanel>[0]) => {
    const p = makePanel(spec);
    panels.add(p);
    return p;
  };
  const panelGrid = createPanelGrid(trackedPanel);
  return {
    h,
    grid,
    card,
    stat,
    statusChip,
    sparkline,
    table(options) {
      const t = table(options);
      tables.add(t as DataTableHandle<unknown>);
      return t;
    },
    listQuery: toApiQuery,
    timeSeriesChart(options) {
      const c = chart(options);
      charts.add(c);
      return c;
    },
    filterBar: createFilterBar(router),
    timeRangePicker: createTimeRangePicker(timeRange),
    empty: emptyState,
    loading: loadingState,
    error: errorState,
    toast,
    modal,
    confirm: confirmDialog,
    sidePanel,
    codeViewer,
    logViewer,
    traceWaterfall,
    eventTimeline,
    schemaForm,
    panel: trackedPanel,
    panelGrid,
    tabs,
    disposeAll() {
      for (const p of panels) p.dispose();
      panels.clear();
      for (const t of tables) t.destroy();
      for (const c of charts) c.dispose();
      tables.clear();
      charts.clear();
    },
  };
}
