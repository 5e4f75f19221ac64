import type { TimeRange } from '@oneservice/plugin-sdk/ui';
import { h, uid } from './dom.js';
import { REFRESH_INTERVALS, TIME_PRESETS, absoluteRange, describeTimeRange } from '../core/time/time-expression.js';
import { attachPopover } from './popover.js';

/** Presets (15m … 7d), a custom absolute range and auto refresh, all stored in the URL. */
export function createTimeRangePicker(timeRange: TimeRange) {
  return function timeRangePicker(): HTMLElement {
    const popId = uid('trp');
    const label = h('span', { class: 'trp-label' });
    const trigger = h('button', { type: 'button', class: 'btn btn-default trp-trigger', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': popId }, h('span', { 'aria-hidden': 'true', class: 'trp-clock' }, '◷'), label);
    const refreshSelect = h('select', { class: 'input trp-refresh', 'aria-label': 'Auto refresh' }, h('option', { value: '' }, 'Off'), ...REFRESH_INTERVALS.map((r) => h('option', { value: r }, `Every ${r}`)));
    const el = h('div', { class: 'trp' }, trigger, refreshSelect);

    const sync = () => {
      const v = timeRange.get();
      label.textContent = describeTimeRange(v);
      refreshSelect.value = v.refresh ?? '';
    };
    refreshSelect.addEventListener('change', () => timeRange.set({ refresh: refreshSelect.value || null }));

    const toLocalInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

    const build = (close: () => void) => {
      const resolved = timeRange.resolve();
      const fromInput = h('input', { type: 'datetime-local', class: 'input', value: toLocalInput(resolved.start), 'aria-label': 'From' });
      const toInput = h('input', { type: 'datetime-local', class: 'input', value: toLocalInput(resolved.end), 'aria-label': 'To' });
      const error = h('div', { class: 'field-error', role: 'alert' });
      const current = timeRange.get();
      return h(
        'div',
        { class: 'trp-pop', id: popId, role: 'dialog', 'aria-label': 'Time range' },
        h('div', { class: 'trp-presets' }, ...TIME_PRESETS.map((p) => h('button', { type: 'button', class: `trp-preset${current.from === p.from && current.to === 'now' ? ' is-active' : ''}`, onclick: () => { timeRange.set({ from: p.from, to: 'now' }); close(); } }, p.label))),
        h(
          'form',
          { class: 'trp-custom', onsubmit: (ev: Event) => {
            ev.preventDefault();
            const start = new Date(fromInput.value);
            const end = new Date(toInput.value);
            if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) {
              error.textContent = 'Choose a start before the end';
              return;
            }
            timeRange.set({ ...absoluteRange(start, end), refresh: null });
            close();
          } },
          h('div', { class: 'trp-custom-title' }, 'Custom range'),
          h('label', {}, 'From', fromInput),
          h('label', {}, 'To', toInput),
          error,
          h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply'),
        ),
      );
    };
    attachPopover(el, trigger, build);
    sync();
    const unsubscribe = timeRange.subscribe(() => {
      if (!el.isConnected) {
        unsubscribe();
        return;
      }
      sync();
    });
    return el;
  };
}
