import type { ToastKind } from '@oneservice/plugin-sdk/ui';
import { h } from './dom.js';

let region: HTMLElement | null = null;

function host(): HTMLElement {
  if (region && region.isConnected) return region;
  region = h('div', { class: 'toast-region', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  document.body.appendChild(region);
  return region;
}

/** Errors stay until closed (people need time to read them); the rest fade after a few seconds. */
export function toast(message: string, kind: ToastKind = 'info'): void {
  const root = host();
  // Identical messages arriving together (several failed calls) are shown once.
  for (const existing of root.querySelectorAll<HTMLElement>('.toast')) {
    if (existing.dataset.message === message) return;
  }
  const close = () => el.remove();
  const el = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { message } },
    h('span', { class: 'toast-text' }, message),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: close }, '×'),
  );
  root.appendChild(el);
  while (root.children.length > 5) root.firstElementChild?.remove();
  if (kind !== 'error') setTimeout(close, kind === 'warning' ? 8000 : 4000);
}
