import { ROLES, type PermissionDeclaration, type Role } from '@oneservice/plugin-sdk';
import { platformOnlyPermissions } from './kernel-permissions.js';

export interface RegisteredPermission extends PermissionDeclaration {
  owner: string;
}

/** All `resource:action` permissions (kernel's and plugins'), and the role → permissions matrix. */
export class PermissionRegistry {
  private readonly permissions = new Map<string, RegisteredPermission>();
  private sealed = false;
  private matrix = new Map<Role, Set<string>>();

  declare(owner: string, declarations: PermissionDeclaration[]): void {
    if (this.sealed) throw new Error(`permission registry is sealed: ${owner} declared permissions after start`);
    for (const declaration of declarations) {
      const existing = this.permissions.get(declaration.id);
      if (existing) throw new Error(`permission ${declaration.id} is declared by both ${existing.owner} and ${owner}`);
      this.permissions.set(declaration.id, { ...declaration, owner });
    }
  }

  seal(): void {
    this.sealed = true;
    this.matrix = new Map(ROLES.map((role) => [role, new Set<string>()]));
    for (const permission of this.permissions.values()) {
      if (platformOnlyPermissions.has(permission.id)) continue;
      this.matrix.get('TENANT_ADMIN')!.add(permission.id);
      for (const role of permission.roles) this.matrix.get(role)!.add(permission.id);
    }
  }

  has(id: string): boolean {
    return this.permissions.has(id);
  }

  all(): RegisteredPermission[] {
    return [...this.permissions.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  forRole(role: Role): ReadonlySet<string> {
    return this.matrix.get(role) ?? new Set();
  }

  forSuperAdmin(): ReadonlySet<string> {
    return new Set(this.permissions.keys());
  }
}
