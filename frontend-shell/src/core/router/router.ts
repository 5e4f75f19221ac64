import type { NavigateOptions, RouteLocation, Router } from '@oneservice/plugin-sdk/ui';
import { carryTimeRange, formatHref, mergeQuery, parseHref } from './url-state.js';

/** History API router. Plain `<a href>` links inside the app are intercepted, so pages need no router calls to link. */
export class HistoryRouter implements Router {
  private current: RouteLocation = readLocation();
  private readonly listeners = new Set<(l: RouteLocation) => void>();

  constructor() {
    window.addEventListener('popstate', () => this.update());
    document.addEventListener('click', (ev) => this.interceptLink(ev));
  }

  get location(): RouteLocation {
    return this.current;
  }

  navigate(to: string, options: NavigateOptions = {}): void {
    const target = parseHref(to);
    const query = options.keepTimeRange === false ? target.query : carryTimeRange(this.current.query, target.query);
    this.go(formatHref(target.path, query, target.hash), options.replace ?? false);
  }

  setQuery(params: Record<string, string | null | undefined>, options: NavigateOptions = {}): void {
    const query = mergeQuery(this.current.query, params);
    this.go(formatHref(this.current.path, query, this.current.hash), options.replace ?? false);
  }

  subscribe(listener: (l: RouteLocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  href(to: string): string {
    const target = parseHref(to);
    return formatHref(target.path, carryTimeRange(this.current.query, target.query), target.hash);
  }

  private go(href: string, replace: boolean): void {
    const now = `${location.pathname}${location.search}${location.hash}`;
    if (href === now) return;
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    this.update();
  }

  private update(): void {
    this.current = readLocation();
    for (const l of [...this.listeners]) l(this.current);
  }

  private interceptLink(ev: MouseEvent): void {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element | null)?.closest?.('a[href]');
    if (!(a instanceof HTMLAnchorElement) || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
    const url = new URL(a.href, location.href);
    // The API, plugin assets and docs are real server paths, not app routes.
    if (url.origin !== location.origin || /^\/(api|plugins|metrics|healthz|readyz)(\/|$)/.test(url.pathname)) return;
    ev.preventDefault();
    this.go(formatHref(url.pathname, url.searchParams, url.hash.slice(1)), false);
  }
}

function readLocation(): RouteLocation {
  const parsed = parseHref(`${location.pathname}${location.search}${location.hash}`);
  return { path: parsed.path, query: parsed.query, hash: parsed.hash };
}
