import type { PanelHandle, StatPanelOptions, StatPanelSpec, TimeseriesPanelOptions } from '@oneservice/plugin-sdk/ui';
import { compactNumber } from '../dom.js';
import { stat } from '../stat.js';
import { appendPoints, fieldConfig, formatPanelValue, reduceValues, thresholdColor } from './panel-data.js';

/** The stat panel: one number (the first field reduced to last/min/max/mean) and its sparkline. */
export function statPanel(initial: StatPanelSpec): PanelHandle {
  let spec = initial;
  let frames = spec.frames;
  const first = () => {
    const frame = frames[0];
    const field = frame?.fields[0];
    return frame && field ? { frame, field, config: fieldConfig(spec.fieldConfig, spec.overrides, frame, field) } : null;
  };
  const initialField = first();
  const card = stat({ label: spec.title ?? initialField?.config.displayName ?? initialField?.field.name ?? '', value: null });
  card.el.classList.add('panel', 'panel-stat');

  function render() {
    const f = first();
    if (!f) return card.update(null, []);
    const value = reduceValues(f.field.values, spec.options?.reduce ?? 'last');
    const series = spec.options?.sparkline === false ? undefined : f.field.values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).slice(-200);
    // The stat card writes the unit itself; the value text carries decimals and non-finite names.
    card.update(value === null ? null : formatPanelValue(value, { ...f.config, unit: undefined }, compactNumber), series);
    const unit = f.config.unit;
    if (unit && value !== null) card.el.querySelector('.stat-value')?.append(Object.assign(document.createElement('span'), { className: 'stat-unit', textContent: unit }));
    const color = thresholdColor(value, f.config.thresholds);
    const valueEl = card.el.querySelector<HTMLElement>('.stat-value');
    if (valueEl) valueEl.style.color = color ? (color.startsWith('--') ? `var(${color})` : color) : '';
    card.el.dataset.drawn = 'true';
  }
  render();
  return {
    el: card.el,
    get spec() {
      return { ...spec, frames };
    },
    setFrames(next) {
      frames = next;
      render();
    },
    setOptions(patch: Partial<TimeseriesPanelOptions & StatPanelOptions>) {
      spec = { ...spec, options: { ...spec.options, ...(patch.reduce ? { reduce: patch.reduce } : {}), ...(patch.sparkline !== undefined ? { sparkline: patch.sparkline } : {}) } };
      render();
    },
    append(points) {
      frames = appendPoints(frames, points);
      render();
    },
    dispose() {},
  };
}
