import type { TableColumn } from '@oneservice/plugin-sdk/ui';
import { h, uid } from '../dom.js';
import { attachPopover } from '../popover.js';

// Which columns a user shows is a personal preference: it lives in localStorage per table id, and
// in the URL too where the table asks for it (urlColumns: chosen metric columns are part of a view).
const key = (tableId: string) => `oneservice.table.${tableId}.columns`;

export function readVisibleColumns<T>(tableId: string, columns: readonly TableColumn<T>[]): Set<string> {
  try {
    const stored = JSON.parse(localStorage.getItem(key(tableId)) ?? 'null') as unknown;
    if (Array.isArray(stored)) {
      const ids = new Set(stored.filter((v): v is string => typeof v === 'string' && columns.some((c) => c.id === v)));
      if (ids.size > 0) return ids;
    }
  } catch {
    // A corrupt preference falls back to the defaults.
  }
  return defaultColumns(columns);
}

export function defaultColumns<T>(columns: readonly TableColumn<T>[]): Set<string> {
  return new Set(columns.filter((c) => !c.hidden).map((c) => c.id));
}

export function rememberColumns(tableId: string, visible: Set<string>): void {
  localStorage.setItem(key(tableId), JSON.stringify([...visible]));
}

export function columnChooser<T>(columnsNow: () => readonly TableColumn<T>[], current: () => Set<string>, onChange: (visible: Set<string>) => void): HTMLElement {
  const popId = uid('cols');
  const trigger = h('button', { type: 'button', class: 'btn btn-ghost', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': popId }, 'Columns');
  const wrap = h('div', { class: 'popover-anchor' }, trigger);
  attachPopover(wrap, trigger, () => {
    const visible = current();
    const columns = columnsNow();
    return h(
      'div',
      { class: 'popover', id: popId, role: 'dialog', 'aria-label': 'Choose columns' },
      ...columns.map((c) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: visible.has(c.id), onchange: (ev: Event) => {
          const next = new Set(current());
          if ((ev.target as HTMLInputElement).checked) next.add(c.id);
          else if (next.size > 1) next.delete(c.id); // a table with no column is useless
          else (ev.target as HTMLInputElement).checked = true;
          onChange(next);
        } }), c.title),
      ),
    );
  });
  return wrap;
}
