import type { ShellServices } from '../app/services.js';
import { h, uid } from '../ui/dom.js';
import { attachPopover } from '../ui/popover.js';
import { icon } from '../ui/icons.js';
import { initialsOf, roleLabel } from '../core/auth/display-names.js';

export function themeToggle(services: ShellServices): HTMLElement {
  const dark = services.theme.get() === 'dark';
  return h(
    'button',
    { type: 'button', class: 'btn btn-ghost icon-btn theme-toggle', 'aria-label': dark ? 'Switch to the light theme' : 'Switch to the dark theme', 'aria-pressed': String(dark), 'data-testid': 'theme-toggle', onclick: () => void services.setTheme(services.theme.get() === 'dark' ? 'light' : 'dark') },
    icon(dark ? 'sun' : 'moon'),
  );
}

/** Who is signed in, their role and tenant, and sign-out. */
export function userMenu(services: ShellServices): HTMLElement {
  const me = services.me!;
  const popId = uid('user');
  const initials = initialsOf(me.user.display_name, me.user.email);
  const trigger = h('button', { type: 'button', class: 'btn btn-ghost user-trigger', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': popId, 'aria-label': `Account: ${me.user.email}` }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials));
  const wrap = h('div', { class: 'popover-anchor user-menu' }, trigger);
  attachPopover(wrap, trigger, (close) =>
    h(
      'div',
      { class: 'popover popover-right', id: popId, role: 'menu' },
      h('div', { class: 'user-card' }, h('strong', {}, me.user.display_name || me.user.email), h('div', { class: 'muted' }, me.user.email), h('div', { class: 'muted' }, me.is_super_admin ? 'Super-admin' : roleLabel(me.user.role)), services.session?.tenant ? h('div', { class: 'muted' }, `Tenant: ${services.session.tenant.name}`) : null),
      h('button', { type: 'button', role: 'menuitem', class: 'menu-item', onclick: () => { close(); void services.logout(); } }, icon('logout'), 'Sign out'),
    ),
  );
  return wrap;
}
