import { ROLES, countRows, type DemoTenant, type Role } from '@oneservice/plugin-sdk';
import type { Kernel } from '../kernel.js';
import { withTimeout } from '../plugins/plugin-host.js';

export const DEMO_PASSWORD = 'oneservice-demo';
export const DEMO_TENANTS = [
  { slug: 'demo-tenant', name: 'Demo Tenant' },
  { slug: 'beta-tenant', name: 'Beta Tenant' },
];
export const SUPER_ADMIN_EMAIL = 'admin@oneservice.local';

/** TENANT_ADMIN → Tenant Admin */
/** As the shell writes roles (frontend-shell/src/core/auth/display-names.ts): acronyms stay upper-case. */
const ROLE_TITLES: Record<Role, string> = {
  TENANT_ADMIN: 'Tenant admin', SRE: 'SRE', ML_ENGINEER: 'ML engineer', DATA_SCIENTIST: 'Data scientist', PM: 'PM', READONLY: 'Read-only',
};
const roleTitle = (role: Role) => ROLE_TITLES[role];

export const demoEmail = (role: Role, slug: string) => `${role.toLowerCase()}@${slug}.local`;

/** Creates a tenant with one user per role (all with the same password). */
export async function createTenantWithRoleUsers(kernel: Kernel, slug: string, name: string, password: string): Promise<DemoTenant> {
  const { knex, passwords } = kernel.services;
  const [tenant] = await knex('tenants').insert({ slug, name }).returning(['id', 'slug']);
  const hash = await passwords.hash(password);
  const rows = await knex('users')
    .insert(ROLES.map((role) => ({ tenant_id: tenant.id, email: demoEmail(role, slug), display_name: `${roleTitle(role)} (${name})`, role, password_hash: hash })))
    .returning(['id', 'role']);
  await kernel.services.hooks.tenantCreated.promise({ tenantId: tenant.id, slug });
  return { id: tenant.id, slug, users: Object.fromEntries(rows.map((row) => [row.role, row.id])) as Record<Role, string> };
}

export async function createSuperAdmin(kernel: Kernel, email: string, password: string): Promise<string> {
  const [row] = await kernel.services.knex('users')
    .insert({ tenant_id: null, email, display_name: 'Platform admin', role: null, is_super_admin: true, password_hash: await kernel.services.passwords.hash(password) })
    .returning('id');
  return row.id;
}

/**
 * Demo mode, first start on an empty database: the two demo tenants with a user per role, the
 * platform super-admin, then each plugin's own demo data. Returns null when data already exists.
 */
export async function seedDemo(kernel: Kernel): Promise<DemoTenant[] | null> {
  if ((await countRows(kernel.knex('tenants'))) > 0) return null;
  const tenants: DemoTenant[] = [];
  for (const tenant of DEMO_TENANTS) tenants.push(await createTenantWithRoleUsers(kernel, tenant.slug, tenant.name, DEMO_PASSWORD));
  await createSuperAdmin(kernel, SUPER_ADMIN_EMAIL, DEMO_PASSWORD);
  for (const plugin of kernel.plugins) {
    if (plugin.state !== 'started' || !plugin.definition?.seedDemo) continue;
    await withTimeout(plugin.definition.seedDemo(plugin.context!, tenants), 120_000, `${plugin.manifest.id} demo data`);
  }
  return tenants;
}
