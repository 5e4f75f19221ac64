import type { Attrs, Child, H } from '@oneservice/plugin-sdk/ui';

// A tiny element factory instead of a UI framework: the shell is small, and pages must stay free to
// render however they like. Attributes: `class`, `style` (string), `on<event>` handlers, `dataset`,
// booleans (true = present), `aria-*`/`data-*` strings. Text is always set as text, never as HTML.

export const h: H = (tag, attrs, ...children) => {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
      } else if (key === 'dataset' && typeof value === 'object') {
        Object.assign(el.dataset, value);
      } else if (key === 'value' && 'value' in el) {
        (el as HTMLInputElement).value = String(value);
      } else if (key === 'checked' && 'checked' in el) {
        (el as HTMLInputElement).checked = Boolean(value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
};

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Element, ...children: (Child | Child[])[]): void {
  clear(el);
  append(el, children);
}

let idCounter = 0;
/** Unique ids for label/aria wiring. */
export function uid(prefix = 'os'): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

export function button(label: Child, onClick: (ev: MouseEvent) => void, kind: 'primary' | 'danger' | 'default' | 'ghost' = 'default', attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: `btn btn-${kind}`, onclick: onClick, ...attrs }, label);
}

/** Elements a keyboard user can reach, in DOM order (for focus traps and roving focus). */
export function focusables(root: Element): HTMLElement[] {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  return [...root.querySelectorAll<HTMLElement>(selector)].filter((el) => !el.hidden && el.offsetParent !== null);
}

/** Compact number: 1234 → 1.2k, 3_400_000 → 3.4M. */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  const fmt = (v: number, s: string) => `${Number(v.toFixed(v < 10 ? 2 : 1))}${s}`;
  if (abs >= 1e9) return fmt(n / 1e9, 'G');
  if (abs >= 1e6) return fmt(n / 1e6, 'M');
  if (abs >= 1e3) return fmt(n / 1e3, 'k');
  return Number.isInteger(n) ? String(n) : n.toFixed(abs < 1 ? 3 : 2);
}

export function formatDateTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
