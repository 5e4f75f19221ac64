import type { ApiClient, PageOf, SearchProvider, ShellSession, ShellTenant } from '@oneservice/plugin-sdk/ui';
import type { Menus } from '../menus/menu-model.js';
import { isApiError } from '../api/api-error.js';

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
 * GET /api/v1/search, when the kernel offers it (plugins can answer server-side there). Until it
 * exists the first 404 switches the provider off for the rest of the session.
 */
export function serverSearchProvider(api: ApiClient): SearchProvider {
  let available = true;
  return {
    id: 'server',
    title: 'More results',
    minQueryLength: 2,
    async search(q, signal) {
      if (!available) return [];
      try {
        const body = await api.get<{ items: { id: string; title: string; subtitle?: string; href: string }[] }>('/search', {
          query: { q },
          signal,
          silent: true,
        });
        return body.items.filter((r) => typeof r.href === 'string' && r.href.startsWith('/'));
      } catch (e) {
        if (isApiError(e) && (e.status === 404 || e.status === 405)) available = false;
        return [];
      }
    },
  };
}

/** Which kernel providers this user gets (no point asking for tenants without being super-admin). */
export function kernelProviders(api: ApiClient, menus: () => Menus, session: ShellSession): SearchProvider[] {
  const list = [pagesProvider(menus), serverSearchProvider(api)];
  if (session.can('users:read')) list.push(usersProvider(api));
  if (session.isSuperAdmin) list.push(tenantsProvider(api));
  return list;
}
