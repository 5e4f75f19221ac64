import type { ApiClient, PageOf, SearchProvider, ShellSession, ShellTenant } from '@oneservice/plugin-sdk/ui';
import type { Menus } from '../menus/menu-model.js';

/** Pages from the menus the user may see: "Section › Tab". */
export function pagesProvider(menus: () => Menus): SearchProvider {
  return {
    id: 'pages',
    title: 'Pages',
    async search(q) {
      const needle = q.toLowerCase();
      return menus().sections.flatMap((s) =>
        s.tabs
          .filter((t) => `${s.title} ${t.title}`.toLowerCase().includes(needle))
          .map((t) => ({ id: `${s.id}/${t.id}`, title: t.title, subtitle: s.title, href: t.route })),
      );
    },
  };
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: string;
}

export function usersProvider(api: ApiClient): SearchProvider {
  return {
    id: 'users',
    title: 'Users',
    minQueryLength: 2,
    async search(q, signal) {
      const page = await api.get<PageOf<UserRow>>('/users', { query: { q, page_size: 8 }, signal, silent: true });
      return page.items.map((u) => ({
        id: u.id,
        title: u.display_name || u.email,
        subtitle: `${u.email} · ${u.role}`,
        href: `/admin/users?q=${encodeURIComponent(u.email)}&open=${encodeURIComponent(u.id)}`,
      }));
    },
  };
}

export function tenantsProvider(api: ApiClient): SearchProvider {
  return {
    id: 'tenants',
    title: 'Tenants',
    minQueryLength: 1,
    async search(q, signal) {
      const page = await api.get<PageOf<ShellTenant>>('/tenants', { query: { q, page_size: 8 }, signal, silent: true });
      return page.items.map((t) => ({
        id: t.id,
        title: t.name,
        subtitle: t.slug,
        href: `/admin/tenants?q=${encodeURIComponent(t.slug)}&open=${encodeURIComponent(t.id)}`,
      }));
    },
  };
}

/**
 * Which kernel providers this user gets (no point asking for tenants without being super-admin).
 * Plugins answer search in the browser through their page module's `searchProviders(ctx)`, each
 * against its own API, so there is no kernel search route to fan out to them.
 */
export function kernelProviders(api: ApiClient, menus: () => Menus, session: ShellSession): SearchProvider[] {
  const list = [pagesProvider(menus)];
  if (session.can('users:read')) list.push(usersProvider(api));
  if (session.isSuperAdmin) list.push(tenantsProvider(api));
  return list;
}
