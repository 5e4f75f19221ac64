import type { RouteLocation } from '@oneservice/plugin-sdk/ui';
import { PageHost } from '../app/page-host.js';
import { setDocumentTitle } from '../app/page-context.js';
import type { ShellServices } from '../app/services.js';
import { findShellRoute } from '../app/shell-routes.js';
import { findActive } from '../core/menus/menu-model.js';
import { h, replace } from '../ui/dom.js';
import { loadingState } from '../ui/states.js';
import { icon } from '../ui/icons.js';
import { createTimeRangePicker } from '../ui/time-range-picker.js';
import { navCollapsed, primaryNav } from './primary-nav.js';
import { openSearchPalette, resetPluginSearch } from './search-palette.js';
import { secondaryNav } from './secondary-nav.js';
import { tenantSwitcher } from './tenant-switcher.js';
import { themeToggle, userMenu } from './user-menu.js';

/**
 * The frame around every signed-in page: primary menu on the left, the section's tabs and the
 * tools (time range, search, tenant, theme, account) on top, the page below.
 */
export class AppFrame {
  readonly el: HTMLElement;
  private readonly navSlot = h('div', { class: 'nav-slot' });
  private readonly tabsSlot = h('div', { class: 'tabs-slot' });
  private readonly toolsSlot = h('div', { class: 'topbar-tools' });
  private readonly timeSlot = h('div', { class: 'time-slot' });
  private readonly content = h('main', { id: 'main', class: 'content', tabindex: '-1' });
  private readonly host: PageHost;
  private readonly disposers: (() => void)[] = [];
  /** The path whose page said it has no use for the time range (ShellContext.hideTimeRange). */
  private timeRangeHiddenOn: string | null = null;

  constructor(private readonly services: ShellServices) {
    this.el = h(
      'div',
      { class: 'app', 'data-nav': navCollapsed() ? 'collapsed' : 'expanded' },
      h('a', { href: '#main', class: 'skip-link', onclick: (ev: Event) => { ev.preventDefault(); this.content.focus(); } }, 'Skip to content'),
      this.navSlot,
      h('div', { class: 'main-col' }, h('header', { class: 'topbar' }, this.tabsSlot, this.timeSlot, this.toolsSlot), this.content),
    );
    this.host = new PageHost(services, this.content);
    this.timeSlot.appendChild(createTimeRangePicker(services.timeRange)());
    this.disposers.push(services.router.subscribe((loc) => this.route(loc)));
    this.disposers.push(services.theme.subscribe(() => this.renderTools()));
    const onKey = (ev: KeyboardEvent) => {
      if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'k') {
        ev.preventDefault();
        openSearchPalette(services);
      }
    };
    document.addEventListener('keydown', onKey);
    // A settings page enabled or disabled a plugin: the menus this user sees have changed.
    const onMenus = () => void services.loadSession().then(() => this.reloaded(), () => undefined);
    window.addEventListener('oneservice:menus-changed', onMenus);
    this.disposers.push(() => window.removeEventListener('oneservice:menus-changed', onMenus));
    this.disposers.push(() => document.removeEventListener('keydown', onKey));
    const onHideTime = (ev: Event) => {
      this.timeRangeHiddenOn = (ev as CustomEvent<{ path: string }>).detail.path;
      this.renderMenus(this.services.router.location);
    };
    window.addEventListener('oneservice:hide-time-range', onHideTime);
    this.disposers.push(() => window.removeEventListener('oneservice:hide-time-range', onHideTime));
    this.renderTools();
    this.route(services.router.location);
  }

  /** After a tenant switch the menus and the data differ: redraw everything and remount the page. */
  reloaded(): void {
    resetPluginSearch();
    this.renderTools();
    const loc = this.services.router.location;
    this.renderMenus(loc);
    this.host.show(loc, true);
  }

  /** The old tenant's page must not stay on screen while the new tenant's session loads. */
  private switching(): void {
    this.host.unmount();
    replace(this.content, loadingState('Switching tenant…'));
  }

  destroy(): void {
    this.host.unmount();
    for (const d of this.disposers) d();
    this.el.remove();
  }

  private route(loc: RouteLocation): void {
    this.renderMenus(loc);
    this.host.show(loc);
  }

  private renderMenus(loc: RouteLocation): void {
    const { sections, pages } = this.services.menus;
    const active = findActive(sections, pages, loc.path);
    replace(this.navSlot, primaryNav(sections, active?.section.id ?? null, (collapsed) => {
      this.el.dataset.nav = collapsed ? 'collapsed' : 'expanded';
      this.renderMenus(this.services.router.location);
      this.navSlot.querySelector<HTMLElement>('.nav-collapse')?.focus();
    }));
    replace(this.tabsSlot, secondaryNav(active?.section ?? null, active?.tab ?? null, (to) => this.services.router.href(to)));
    const shell = findShellRoute(loc.path);
    // Only pages whose data depends on time show the picker; a plugin tab says so in its manifest
    // (`timeRange: false`), a deeper page with ctx.hideTimeRange().
    this.timeSlot.hidden = shell ? !shell.timeRange : !active || active.tab?.timeRange === false || this.timeRangeHiddenOn === loc.path;
    if (active) setDocumentTitle(active.tab ? `${active.tab.title} · ${active.section.title}` : active.section.title);
  }

  private renderTools(): void {
    const search = h('button', { type: 'button', class: 'btn btn-default search-trigger', 'aria-keyshortcuts': 'Control+K', onclick: () => openSearchPalette(this.services) }, icon('search'), h('span', {}, 'Search'), h('kbd', {}, 'Ctrl K'));
    replace(this.toolsSlot, search, tenantSwitcher(this.services, () => this.switching(), () => this.reloaded()), themeToggle(this.services), userMenu(this.services));
  }
}
