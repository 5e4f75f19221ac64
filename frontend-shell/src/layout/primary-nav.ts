import type { MenuSection } from '../core/menus/menu-model.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

const COLLAPSED_KEY = 'oneservice.nav.collapsed';

export function navCollapsed(): boolean {
  return localStorage.getItem(COLLAPSED_KEY) === '1';
}

/** The narrow left menu: one link per section (to its first tab). Arrow keys move between items. */
export function primaryNav(sections: readonly MenuSection[], activeId: string | null, onToggle: (collapsed: boolean) => void): HTMLElement {
  const items = sections.map((s) => {
    const first = s.tabs[0]!;
    const active = s.id === activeId;
    return h(
      'li',
      {},
      h('a', { href: first.route, class: `nav-item${active ? ' is-active' : ''}`, 'aria-current': active ? 'page' : undefined, 'data-section': s.id, title: s.title }, icon(s.icon, s.title), h('span', { class: 'nav-label' }, s.title)),
    );
  });
  const list = h('ul', { class: 'nav-list' }, ...items);
  list.addEventListener('keydown', (ev) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(ev.key)) return;
    const links = [...list.querySelectorAll<HTMLAnchorElement>('a.nav-item')];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    ev.preventDefault();
    const next = ev.key === 'Home' ? 0 : ev.key === 'End' ? links.length - 1 : (i + (ev.key === 'ArrowDown' ? 1 : -1) + links.length) % links.length;
    links[next]?.focus();
  });
  const collapsed = navCollapsed();
  const toggle = h(
    'button',
    { type: 'button', class: 'nav-collapse', 'aria-label': collapsed ? 'Expand the menu' : 'Collapse the menu', 'aria-pressed': String(collapsed), onclick: () => {
      const next = !navCollapsed();
      localStorage.setItem(COLLAPSED_KEY, next ? '1' : '0');
      onToggle(next);
    } },
    icon(collapsed ? 'expand' : 'collapse'),
    h('span', { class: 'nav-label' }, 'Collapse'),
  );
  return h(
    'nav',
    { class: 'primary-nav', 'aria-label': 'Primary' },
    h('a', { href: '/', class: 'brand', 'aria-label': 'OneService home' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'), h('span', { class: 'nav-label brand-name' }, 'OneService')),
    list,
    toggle,
  );
}
