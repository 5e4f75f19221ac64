import type { ShellSession, ShellTenant, ShellUser } from '@oneservice/plugin-sdk/ui';

/** GET /api/v1/me */
export interface Me {
  user: ShellUser;
  tenant: ShellTenant | null;
  permissions: string[];
  is_super_admin: boolean;
  tenants: ShellTenant[];
  preferences: { theme: 'light' | 'dark' | null };
}

/** The session a page sees: the acting tenant is the super-admin's choice when there is one. */
export function toShellSession(me: Me, chosenTenant: string | null): ShellSession {
  const tenant = (chosenTenant && me.tenants.find((t) => t.id === chosenTenant)) || me.tenant;
  const permissions = Object.freeze([...me.permissions]);
  return Object.freeze({
    user: me.user,
    tenant: tenant ?? null,
    permissions,
    isSuperAdmin: me.is_super_admin,
    can: (permission: string) => me.is_super_admin || permissions.includes(permission),
  });
}
