import type { PermissionDeclaration } from '@oneservice/plugin-sdk';

/**
 * The kernel's permissions and which roles hold them — the one file that maps roles for kernel
 * features (plugins grant their own permissions in plugin.json). TENANT_ADMIN holds every permission
 * of its tenant; a platform super-admin holds every permission in the tenant it acts in, plus
 * `tenants:admin`, which no role has. Least privilege: a role is listed only when its work needs it.
 * docs/rbac.md is generated from this and the manifests; a test keeps them equal.
 */
export const kernelPermissions: PermissionDeclaration[] = [
  { id: 'tenants:read', description: 'See the tenant one belongs to', roles: ['SRE', 'ML_ENGINEER', 'DATA_SCIENTIST', 'PM', 'READONLY'] },
  { id: 'tenants:admin', description: 'Create, change and delete tenants (platform super-admin only)', roles: [] },
  { id: 'users:read', description: "List the tenant's users", roles: [] },
  { id: 'users:admin', description: 'Create, change, deactivate and delete users', roles: [] },
  { id: 'tokens:own', description: 'Create, list and revoke one’s own API tokens', roles: ['SRE', 'ML_ENGINEER', 'DATA_SCIENTIST', 'PM', 'READONLY'] },
  { id: 'tokens:admin', description: "List and revoke any API token of the tenant", roles: [] },
  { id: 'audit:read', description: 'Read the audit log', roles: [] },
  { id: 'plugins:read', description: 'See installed plugins and their state', roles: ['SRE'] },
  { id: 'plugins:admin', description: 'Enable or disable plugins for the tenant', roles: [] },
  { id: 'datasources:read', description: 'See datasource bindings (never their secrets)', roles: ['SRE'] },
  { id: 'datasources:admin', description: 'Create, change, test and delete datasource bindings', roles: [] },
  { id: 'export:create', description: 'Export data and reports (CSV, PNG, PDF)', roles: ['SRE', 'ML_ENGINEER', 'DATA_SCIENTIST', 'PM'] },
];

/** Permissions only a super-admin holds (never granted through a role, not even TENANT_ADMIN). */
export const platformOnlyPermissions = new Set(['tenants:admin']);
