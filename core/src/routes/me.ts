import { z } from 'zod';
import type { DeclareRoute, KernelServices } from './services.js';
import { buildMenus } from './menus.js';

const tenantRef = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export function registerMeRoutes(route: DeclareRoute, services: KernelServices): void {
  const { knex } = services;
  route({
    method: 'GET', path: '/me', permission: 'authenticated', tenant: 'optional', tags: ['me'],
    summary: 'Who am I: user, tenant, permissions, switchable tenants and preferences',
    schema: {
      response: z.object({
        user: z.object({ id: z.string(), email: z.string(), display_name: z.string(), role: z.string().nullable(), tenant_id: z.string().nullable() }),
        tenant: tenantRef.nullable(), permissions: z.array(z.string()), is_super_admin: z.boolean(), tenants: z.array(tenantRef),
        preferences: z.object({ theme: z.enum(['light', 'dark']).nullable() }),
      }),
    },
    async handler({ principal }) {
      const user = await knex('users').where({ id: principal.userId }).first();
      const tenant = principal.tenantId ? await knex('tenants').where({ id: principal.tenantId }).first('id', 'slug', 'name') : null;
      // Super-admins may act in any tenant; everyone else only in their own.
      const tenants = principal.isSuperAdmin ? await knex('tenants').orderBy('name').select('id', 'slug', 'name') : tenant ? [tenant] : [];
      return {
        user: { id: user.id, email: user.email, display_name: user.display_name, role: user.role, tenant_id: user.tenant_id },
        tenant: tenant ?? null, permissions: [...principal.permissions].sort(), is_super_admin: principal.isSuperAdmin, tenants,
        preferences: { theme: (user.preferences?.theme as 'light' | 'dark' | undefined) ?? null },
      };
    },
  });

  route({
    method: 'PUT', path: '/me/preferences', permission: 'authenticated', tenant: 'optional', tags: ['me'], status: 204,
    summary: 'Remember the user’s preferences (theme)',
    schema: { body: z.object({ theme: z.enum(['light', 'dark']) }) },
    async handler({ body, principal }) {
      await knex('users').where({ id: principal.userId }).update({ preferences: knex.raw(`preferences || ?::jsonb`, [JSON.stringify(body)]), updated_at: new Date() });
    },
  });

  route({
    method: 'GET', path: '/ui/menus', permission: 'authenticated', tenant: 'optional', tags: ['me'],
    summary: 'The menu sections and plugin pages this user may see in this tenant',
    schema: {
      response: z.object({
        sections: z.array(z.object({ id: z.string(), title: z.string(), icon: z.string(), order: z.number(), plugin: z.string().nullable(), tabs: z.array(z.object({ id: z.string(), title: z.string(), route: z.string(), timeRange: z.boolean().optional() })) })),
        pages: z.array(z.object({ route: z.string(), plugin: z.string(), module: z.string() })),
      }),
    },
    handler: async ({ principal }) => buildMenus(principal, services),
  });
}
