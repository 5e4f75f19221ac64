import type { ShellContext } from '@oneservice/plugin-sdk/ui';
import { type ScopedUiKit, createUiKit } from '../ui/ui-kit.js';
import type { ShellServices } from './services.js';

export function setDocumentTitle(title: string): void {
  document.title = title ? `${title} · OneService` : 'OneService';
}

/** The context one mounted page receives; `ui` is scoped so the page's charts and tables are disposed with it. */
export function createPageContext(services: ShellServices): ShellContext & { ui: ScopedUiKit } {
  const session = services.session;
  if (!session) throw new Error('a page was mounted without a session');
  return {
    api: services.api,
    router: services.router,
    timeRange: services.timeRange,
    session,
    ui: createUiKit(services.router, services.timeRange, services.theme),
    search: services.search,
    theme: () => services.theme.get(),
    subscribeTheme: (l) => services.theme.subscribe(l),
    setTitle: setDocumentTitle,
    hideTimeRange: () => window.dispatchEvent(new CustomEvent('oneservice:hide-time-range', { detail: { path: services.router.location.path } })),
  };
}
