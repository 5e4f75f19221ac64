import type { PanelGridHandle, PanelGridOptions, PanelHandle, PanelSpec } from '@oneservice/plugin-sdk/ui';
import type { ThemeController } from '../../core/theme/theme.js';
import { h, uid } from '../dom.js';
import { statPanel } from './stat-panel.js';
import { timeseriesPanel } from './timeseries-panel.js';

/** The one entry point of the panel model: a spec in, the panel of its type out. */
export function createPanel(theme: ThemeController): (spec: PanelSpec) => PanelHandle {
  return (spec) => {
    switch (spec.type) {
      case 'timeseries':
        return timeseriesPanel(spec, theme);
      case 'stat':
        return statPanel(spec);
    }
  };
}

const ROW_PX = 30;

/**
 * A 24-column grid of panels (Grafana's `gridPos`: `w` columns, `h` rows of 30 px). Its timeseries
 * panels share one crosshair group unless a spec names its own.
 */
export function createPanelGrid(panel: (spec: PanelSpec) => PanelHandle) {
  return (options: PanelGridOptions = {}): PanelGridHandle => {
    const group = options.group ?? uid('panels');
    const el = h('div', { class: 'panel-grid' });
    const items: PanelHandle[] = [];
    return {
      el,
      add(spec, gridPos = { w: 8 }) {
        const height = spec.height ?? (gridPos.h ? gridPos.h * ROW_PX - 64 : undefined);
        const withGroup: PanelSpec = spec.type === 'timeseries' ? { ...spec, height, options: { group, ...spec.options } } : { ...spec, height };
        const p = panel(withGroup);
        items.push(p);
        // Panels draw their own title (a timeseries in its toolbar, a stat as its label).
        const description = spec.description ? h('div', { class: 'panel-description muted' }, spec.description) : null;
        el.append(h('section', { class: `panel-cell panel-cell-${spec.type}`, style: `--panel-w:${Math.min(24, Math.max(1, gridPos.w))}`, 'aria-label': spec.title }, p.el, description));
        return p;
      },
      panels: () => [...items],
      clear() {
        for (const p of items) p.dispose();
        items.length = 0;
        el.replaceChildren();
      },
    };
  };
}
