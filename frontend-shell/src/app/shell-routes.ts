import type { PageModule } from '@oneservice/plugin-sdk/ui';

/**
 * Pages the shell implements itself (the kernel's sections). Each is its own chunk, loaded on first
 * visit, so the first page a user sees does not pay for admin screens.
 */
export interface ShellRoute {
  route: string;
  title: string;
  load: () => Promise<PageModule>;
  /** Shows the global time-range picker (only pages whose data is time-bound). */
  timeRange: boolean;
}

export const SHELL_ROUTES: readonly ShellRoute[] = [
  { route: '/admin/tenants', title: 'Tenants', timeRange: false, load: () => import('../pages/admin/tenants-page.js') },
  { route: '/admin/users', title: 'Users', timeRange: false, load: () => import('../pages/admin/users-page.js') },
  { route: '/admin/api-tokens', title: 'API tokens', timeRange: false, load: () => import('../pages/admin/api-tokens-page.js') },
  { route: '/admin/audit', title: 'Audit log', timeRange: true, load: () => import('../pages/admin/audit-page.js') },
  { route: '/settings/datasources', title: 'Datasources', timeRange: false, load: () => import('../pages/settings/datasources-page.js') },
  { route: '/settings/plugins', title: 'Plugins', timeRange: false, load: () => import('../pages/settings/plugins-page.js') },
];

export function findShellRoute(path: string): ShellRoute | null {
  return SHELL_ROUTES.find((r) => r.route === path) ?? null;
}

export function hasShellRoute(route: string): boolean {
  return findShellRoute(route) !== null;
}
