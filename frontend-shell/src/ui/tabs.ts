import type { TabsHandle, TabsOptions } from '@oneservice/plugin-sdk/ui';
import { h } from './dom.js';

/**
 * A WAI-ARIA tab list: one tab in the Tab order (roving tabindex), arrow keys and Home/End move
 * between tabs and select them (automatic activation), so the keyboard reaches every tab.
 */
export function tabs(options: TabsOptions): TabsHandle {
  let selected = options.selected;
  const buttons = options.tabs.map((tab) =>
    h('button', { type: 'button', role: 'tab', class: 'os-tab', id: `tab-${tab.id}`, dataset: { tab: tab.id }, onclick: () => choose(tab.id) }, tab.title),
  );
  const el = h('div', { class: 'os-tabs', role: 'tablist', 'aria-label': options.label ?? 'Tabs' }, buttons);

  function paint() {
    for (const b of buttons) {
      const on = b.dataset.tab === selected;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
  }
  function choose(id: string, focus = false) {
    if (!options.tabs.some((t) => t.id === id)) return;
    const changed = id !== selected;
    selected = id;
    paint();
    if (focus) buttons.find((b) => b.dataset.tab === id)?.focus();
    if (changed) options.onSelect(id);
  }
  el.addEventListener('keydown', (ev) => {
    const i = options.tabs.findIndex((t) => t.id === selected);
    const n = options.tabs.length;
    const target = ev.key === 'ArrowRight' ? (i + 1) % n : ev.key === 'ArrowLeft' ? (i - 1 + n) % n : ev.key === 'Home' ? 0 : ev.key === 'End' ? n - 1 : -1;
    if (target < 0) return;
    ev.preventDefault();
    choose(options.tabs[target]!.id, true);
  });
  paint();
  return {
    el,
    select(id) {
      if (!options.tabs.some((t) => t.id === id)) return;
      selected = id;
      paint();
    },
  };
}
