import type { StateOptions } from '@oneservice/plugin-sdk/ui';
import { button, h } from './dom.js';

function state(kind: 'empty' | 'error', options: StateOptions): HTMLElement {
  return h(
    'div',
    { class: `state state-${kind}`, role: kind === 'error' ? 'alert' : undefined },
    h('div', { class: 'state-icon', 'aria-hidden': 'true' }, kind === 'error' ? '!' : '∅'),
    h('div', { class: 'state-title' }, options.title),
    options.detail ? h('div', { class: 'state-detail' }, options.detail) : null,
    options.action ? button(options.action.label, options.action.onClick, kind === 'error' ? 'default' : 'primary') : null,
  );
}

export const emptyState = (options: StateOptions) => state('empty', options);
export const errorState = (options: StateOptions) => state('error', options);

export function loadingState(label = 'Loading…'): HTMLElement {
  return h('div', { class: 'state state-loading', role: 'status', 'aria-busy': 'true' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, label));
}
