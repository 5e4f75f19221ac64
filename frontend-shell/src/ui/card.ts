import type { CardHandle, CardOptions } from '@oneservice/plugin-sdk/ui';
import { append, clear, h, uid } from './dom.js';

export function card(options: CardOptions): CardHandle {
  const titleId = uid('card');
  const body = h('div', { class: 'card-body' });
  const header =
    options.title || options.actions?.length
      ? h(
          'header',
          { class: 'card-header' },
          h('div', { class: 'card-titles' }, options.title ? h('h2', { class: 'card-title', id: titleId }, options.title) : null, options.subtitle ? h('div', { class: 'card-subtitle' }, options.subtitle) : null),
          options.actions?.length ? h('div', { class: 'card-actions' }, ...options.actions) : null,
        )
      : null;
  const el = h('section', { class: `card span-${options.span ?? 6}`, 'aria-labelledby': options.title ? titleId : undefined }, header, body);
  if (options.body) append(body, [options.body].flat());
  return {
    el,
    body,
    setBody(content) {
      clear(body);
      append(body, [content].flat());
    },
  };
}

export function grid(...cards: (Node | CardHandle)[]): HTMLElement {
  return h('div', { class: 'card-grid' }, ...cards.map((c) => (c instanceof Node ? c : c.el)));
}
