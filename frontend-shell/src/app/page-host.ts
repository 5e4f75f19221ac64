import type { PageModule, RouteLocation } from '@oneservice/plugin-sdk/ui';
import { errorText } from '../core/api/api-error.js';
import { findPage, homeRoute } from '../core/menus/menu-model.js';
import { h, replace } from '../ui/dom.js';
import { emptyState, errorState, loadingState } from '../ui/states.js';
import { createPageContext, setDocumentTitle } from './page-context.js';
import type { ShellServices } from './services.js';
import { findShellRoute } from './shell-routes.js';

export type Target =
  | { kind: 'shell'; key: string; load: () => Promise<PageModule> }
  | { kind: 'plugin'; key: string; plugin: string; module: string }
  | { kind: 'forbidden'; key: string }
  | { kind: 'not-found'; key: string };

/** Which page serves a path, given what this user's menus allow. */
export function resolveTarget(services: ShellServices, path: string): Target {
  const visibleRoutes = new Set(services.menus.sections.flatMap((s) => s.tabs.map((t) => t.route)));
  const shell = findShellRoute(path);
  if (shell) return visibleRoutes.has(shell.route) ? { kind: 'shell', key: shell.route, load: shell.load } : { kind: 'forbidden', key: `forbidden:${path}` };
  const page = findPage(services.menus.pages, path);
  if (page) return { kind: 'plugin', key: page.module, plugin: page.plugin, module: page.module };
  return { kind: 'not-found', key: `not-found:${path}` };
}

const moduleCache = new Map<string, Promise<PageModule>>();

/** Imports a plugin page module once; a failed import is forgotten so Retry really retries. */
export function importPageModule(url: string): Promise<PageModule> {
  let p = moduleCache.get(url);
  if (!p) {
    p = (import(/* webpackIgnore: true */ url) as Promise<PageModule>).then((m) => {
      if (typeof m.mount !== 'function') throw new Error(`${url} does not export mount(el, ctx)`);
      return m;
    });
    p.catch(() => moduleCache.delete(url));
    moduleCache.set(url, p);
  }
  return p;
}

/** Mounts one page at a time into the content area and swaps it when the route leaves its plugin. */
export class PageHost {
  private currentKey: string | null = null;
  private current: { module: PageModule; dispose: () => void } | null = null;
  private generation = 0;

  constructor(
    private readonly services: ShellServices,
    private readonly el: HTMLElement,
  ) {}

  /** Shows the page for `location`; the same plugin stays mounted while its own routes change. */
  show(location: RouteLocation, force = false): void {
    if (location.path === '/') {
      const home = homeRoute(this.services.menus.sections);
      if (home) {
        this.services.router.navigate(home, { replace: true });
        return;
      }
    }
    const target = location.path === '/' ? ({ kind: 'not-found', key: 'home' } as Target) : resolveTarget(this.services, location.path);
    if (!force && target.key === this.currentKey) return;
    this.unmount();
    this.currentKey = target.key;
    const generation = ++this.generation;
    if (target.kind === 'not-found' || target.kind === 'forbidden') {
      this.renderState(target, location.path);
      return;
    }
    replace(this.el, loadingState('Loading page…'));
    const load = target.kind === 'shell' ? target.load() : importPageModule(target.module);
    load
      .then(async (module) => {
        if (generation !== this.generation) return;
        const ctx = createPageContext(this.services);
        const mountPoint = h('div', { class: 'page', 'data-page': target.kind === 'plugin' ? target.plugin : target.key });
        replace(this.el, mountPoint);
        this.current = { module, dispose: () => ctx.ui.disposeAll() };
        await module.mount(mountPoint, ctx);
      })
      .catch((e: unknown) => {
        if (generation !== this.generation) return;
        this.unmount();
        this.currentKey = target.key;
        replace(this.el, errorState({
          title: target.kind === 'plugin' ? `The ${target.plugin} page could not be loaded` : 'This page could not be loaded',
          detail: errorText(e),
          action: { label: 'Retry', onClick: () => this.show(this.services.router.location, true) },
        }));
      });
  }

  unmount(): void {
    if (this.current) {
      try {
        this.current.module.unmount?.();
      } catch (e) {
        // A page that fails to clean up must not block navigation; the error is still visible in the console.
        console.error('unmount failed', e);
      }
      this.current.dispose();
    }
    // Dialogs and panels the page opened belong to it (back/forward while a panel is open).
    for (const b of document.querySelectorAll('.backdrop:not(.backdrop-search)')) b.remove();
    this.current = null;
    this.currentKey = null;
    this.el.replaceChildren();
  }

  private renderState(target: Target, path: string): void {
    const home = homeRoute(this.services.menus.sections);
    const goHome = home ? { label: 'Go to the first page', onClick: () => this.services.router.navigate(home) } : undefined;
    if (target.key === 'home') {
      setDocumentTitle('Home');
      replace(this.el, emptyState({ title: 'Nothing to show yet', detail: 'Your role does not give access to any section in this tenant. Ask a tenant administrator for access.' }));
    } else if (target.kind === 'forbidden') {
      setDocumentTitle('No access');
      replace(this.el, h('div', { class: 'page-state' }, errorState({ title: 'You do not have access to this page', detail: `${path} needs a permission your role does not have in this tenant.`, ...(goHome ? { action: goHome } : {}) })));
    } else {
      setDocumentTitle('Not found');
      replace(this.el, h('div', { class: 'page-state' }, emptyState({ title: 'Page not found', detail: `Nothing is registered at ${path}. The link may be old, or the plugin that served it is disabled for this tenant.`, ...(goHome ? { action: goHome } : {}) })));
    }
  }
}
