import type { MenuSection, MenuTab } from '../core/menus/menu-model.js';
import { h } from '../ui/dom.js';

/** The active section's tabs across the top; Left/Right move between them. */
export function secondaryNav(section: MenuSection | null, active: MenuTab | null, href: (to: string) => string): HTMLElement {
  const nav = h('nav', { class: 'secondary-nav', 'aria-label': section ? `${section.title} pages` : 'Section pages' });
  if (!section) return nav;
  nav.appendChild(h('span', { class: 'section-title' }, section.title));
  const list = h(
    'ul',
    { class: 'tab-list' },
    ...section.tabs.map((t) =>
      h('li', {}, h('a', { href: href(t.route), class: `tab${t.id === active?.id ? ' is-active' : ''}`, 'aria-current': t.id === active?.id ? 'page' : undefined, 'data-tab': t.id }, t.title)),
    ),
  );
  list.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
    const links = [...list.querySelectorAll<HTMLAnchorElement>('a.tab')];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    ev.preventDefault();
    links[(i + (ev.key === 'ArrowRight' ? 1 : -1) + links.length) % links.length]?.focus();
  });
  nav.appendChild(list);
  return nav;
}
