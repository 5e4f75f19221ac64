import type { Knex } from 'knex';
import { Model, type QueryBuilder } from 'objection';

/**
 * Objection models of the kernel's tables. Tenant-owned models are only queried through
 * `scoped(knex, tenantId)`, which starts every query with the tenant filter.
 */
abstract class TenantOwnedModel extends Model {
  tenant_id!: string;

  static scoped<M extends Model>(this: { query(knex: Knex): QueryBuilder<M>; tableName: string }, knex: Knex, tenantId: string): QueryBuilder<M> {
    return this.query(knex).where(`${this.tableName}.tenant_id`, tenantId);
  }
}

export class TenantModel extends Model {
  static override tableName = 'tenants';
  id!: string;
  slug!: string;
  name!: string;
  status!: 'active' | 'suspended';
  created_at!: Date;
  updated_at!: Date;
}

export class UserModel extends Model {
  static override tableName = 'users';
  id!: string;
  tenant_id!: string | null;
  email!: string;
  display_name!: string;
  password_hash!: string;
  role!: string | null;
  is_super_admin!: boolean;
  is_active!: boolean;
  preferences!: Record<string, unknown>;
  last_login_at!: Date | null;
  created_at!: Date;
  updated_at!: Date;

  static scoped(knex: Knex, tenantId: string) {
    return this.query(knex).where('users.tenant_id', tenantId);
  }
}

export class ApiTokenModel extends TenantOwnedModel {
  static override tableName = 'api_tokens';
  id!: string;
  user_id!: string;
  name!: string;
  prefix!: string;
  token_hash!: string;
  scopes!: string[];
  expires_at!: Date;
  last_used_at!: Date | null;
  revoked_at!: Date | null;
  created_at!: Date;
}

export class AuditEntryModel extends Model {
  static override tableName = 'audit_log';
  id!: string;
  tenant_id!: string | null;
  at!: Date;
  actor_id!: string | null;
  actor_email!: string | null;
  action!: string;
  resource!: string;
  resource_id!: string | null;
  outcome!: string;
  ip!: string | null;
  details!: Record<string, unknown>;
}

export class DatasourceBindingModel extends TenantOwnedModel {
  static override tableName = 'datasource_bindings';
  id!: string;
  plugin_id!: string;
  port!: string | null;
  provider!: string | null;
  name!: string;
  settings_sealed!: string;
  created_at!: Date;
  updated_at!: Date;
}
