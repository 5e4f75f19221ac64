/// <reference lib="dom" />
import type { ApiClient } from './api-client.js';
import type { Router } from './router.js';
import type { SearchProvider, SearchRegistry } from './search.js';
import type { ShellSession } from './session.js';
import type { TimeRange } from './time-range.js';
import type { UiKit } from './ui-kit.js';

/** Everything a plugin page may use. A page imports nothing else at run time from the shell. */
export interface ShellContext {
  api: ApiClient;
  router: Router;
  timeRange: TimeRange;
  session: ShellSession;
  ui: UiKit;
  search: SearchRegistry;
  /** The theme now; pages that draw their own canvases listen to `subscribeTheme`. */
  theme(): 'light' | 'dark';
  subscribeTheme(listener: (theme: 'light' | 'dark') => void): () => void;
  /** Sets the browser tab title ("<title> · OneService"). */
  setTitle(title: string): void;
  /** This view's data does not depend on the global time range: the picker is hidden until the path changes. */
  hideTimeRange(): void;
}

/**
 * The module a plugin's `contributes.frontend.entry` points at. The shell imports it when one of the
 * plugin's routes is opened, calls `mount` with an empty element, and `unmount` when the user leaves.
 * Route changes inside the plugin's own routes do not remount: subscribe to `ctx.router`.
 */
export interface PageModule {
  mount(el: HTMLElement, ctx: ShellContext): void | Promise<void>;
  unmount?(): void;
  /**
   * Optional: search providers this plugin adds to the global search (Ctrl+K). The shell imports
   * every page module when the search opens for the first time and registers what this returns, so
   * a plugin's things are findable before its page was ever visited.
   */
  searchProviders?(ctx: ShellContext): SearchProvider[];
}
