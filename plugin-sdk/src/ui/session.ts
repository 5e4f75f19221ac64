/// <reference lib="dom" />
/** Who is signed in and which tenant the shell is acting for, as a plugin page sees them. */
export interface ShellUser {
  id: string;
  email: string;
  display_name: string;
  role: string;
  tenant_id: string | null;
}

export interface ShellTenant {
  id: string;
  slug: string;
  name: string;
}

export interface ShellSession {
  user: ShellUser;
  /** The tenant every API call acts for; null for a super-admin who has not chosen one yet. */
  tenant: ShellTenant | null;
  permissions: readonly string[];
  isSuperAdmin: boolean;
  /** Checks a `resource:action` permission; a super-admin holds every permission. */
  can(permission: string): boolean;
}
