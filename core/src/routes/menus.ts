import type { Principal } from '@oneservice/plugin-sdk';
import type { KernelServices } from './services.js';

/** platform: the page works without a tenant (a super-admin's platform view shows only those). */
interface Tab { id: string; title: string; route: string; permission?: string; timeRange?: boolean; platform?: boolean }
interface Section { id: string; title: string; icon: string; order: number; permission: string; plugin: string | null; tabs: Tab[] }

/** The kernel's own sections (spec §3: Tenants & Users, Settings), pages the shell itself renders. */
const kernelSections: Section[] = [
  {
    id: 'tenants-users', title: 'Tenants & Users', icon: 'users', order: 80, permission: 'tokens:own', plugin: null,
    tabs: [
      { id: 'tenants', title: 'Tenants', route: '/admin/tenants', permission: 'tenants:admin', platform: true },
      { id: 'users', title: 'Users', route: '/admin/users', permission: 'users:read' },
      { id: 'api-tokens', title: 'API tokens', route: '/admin/api-tokens', permission: 'tokens:own' },
      { id: 'audit', title: 'Audit log', route: '/admin/audit', permission: 'audit:read', platform: true },
    ],
  },
  {
    id: 'settings', title: 'Settings', icon: 'settings', order: 90, permission: 'datasources:read', plugin: null,
    tabs: [
      { id: 'datasources', title: 'Datasources', route: '/settings/datasources', permission: 'datasources:read' },
      { id: 'plugins', title: 'Plugins', route: '/settings/plugins', permission: 'plugins:read' },
    ],
  },
];

/**
 * Menus from manifests: only what the user's permissions allow and what the tenant has enabled, so
 * the shell never shows a dead link.
 */
export async function buildMenus(principal: Principal, services: KernelServices) {
  const may = (permission?: string) => !permission || principal.permissions.has(permission);
  const disabled = principal.tenantId ? await services.pluginStates.disabledFor(principal.tenantId) : new Set<string>();
  // A super-admin acting for no tenant sees the platform view: the pages that need no tenant, no plugin pages.
  const platformView = !principal.tenantId;
  const running = platformView ? [] : services.plugins().filter((p) => p.state === 'started' && !disabled.has(p.manifest.id));
  const sections: Section[] = platformView ? kernelSections.map((s) => ({ ...s, tabs: s.tabs.filter((t) => t.platform) })) : [...kernelSections];
  const pages: { route: string; plugin: string; module: string }[] = [];
  for (const plugin of running) {
    const menus = plugin.manifest.contributes.menus;
    const hasFrontend = Boolean(plugin.manifest.contributes.frontend);
    for (const primary of menus?.primary ?? []) {
      const tabs = (menus?.secondary ?? []).filter((tab) => tab.parent === primary.id);
      sections.push({ ...primary, plugin: plugin.manifest.id, tabs: tabs.map(({ id, title, route, permission, timeRange }) => ({ id, title, route, ...(permission ? { permission } : {}), ...(timeRange === false ? { timeRange } : {}) })) });
      if (hasFrontend) for (const tab of tabs) pages.push({ route: tab.route, plugin: plugin.manifest.id, module: `/plugins/${plugin.manifest.id}/ui.js` });
    }
  }
  const visible = sections
    .filter((section) => may(section.permission))
    .map((section) => ({ ...section, tabs: section.tabs.filter((tab) => may(tab.permission)) }))
    .filter((section) => section.tabs.length > 0)
    .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  const visibleRoutes = new Set(visible.flatMap((s) => s.tabs.map((t) => t.route)));
  return {
    sections: visible.map(({ id, title, icon, order, plugin, tabs }) => ({ id, title, icon, order, plugin, tabs: tabs.map(({ id: tabId, title: tabTitle, route, timeRange }) => ({ id: tabId, title: tabTitle, route, ...(timeRange === false ? { timeRange } : {}) })) })),
    pages: pages.filter((page) => visibleRoutes.has(page.route)),
  };
}
