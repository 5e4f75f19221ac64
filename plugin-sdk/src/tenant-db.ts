import type { Knex } from 'knex';

/**
 * Database access bound to one tenant. `table()` starts every query with `tenant_id = ?`, and
 * `insert()` stamps tenant_id on every row. There is no unscoped query builder here: SQL that scoping
 * cannot express goes through `raw`, on the same connection (or transaction), where a reviewer sees it.
 */
export interface TenantDb {
  readonly tenantId: string;
  /** `knex(table).where(table.tenant_id, tenantId)`; qualify columns when you join. */
  table<TRecord extends {} = any>(name: string): Knex.QueryBuilder<TRecord, TRecord[]>;
  insert<TRecord extends Record<string, unknown>>(name: string, rows: TRecord | TRecord[]): Knex.QueryBuilder;
  /** Runs `work` in a transaction whose `table`/`insert`/`raw` stay on the same tenant and connection. */
  transaction<T>(work: (db: TenantDb) => Promise<T>): Promise<T>;
  /**
   * Raw SQL on this connection. Positional `?` bindings are passed as they are; with named bindings
   * (an object) `:tenant_id` is bound to this tenant, so `WHERE tenant_id = :tenant_id` needs no argument.
   */
  raw<TResult = any>(sql: string, bindings?: readonly Knex.RawBinding[] | Knex.ValueDict): Knex.Raw<TResult>;
  /** SQL functions for values (`fn.now()`). */
  readonly fn: Knex.FunctionHelper;
}

export interface PluginDb {
  /** The only door to tenant data. */
  forTenant(tenantId: string): TenantDb;
  /**
   * The unscoped connection, for a named, reviewed platform-wide job (a data plane that stores every
   * tenant's rows and scopes each statement itself, retention, leases). The kernel logs each reason
   * once, so the doors a plugin opens are visible; migrations get their connection from the kernel.
   */
  platform(reason: string): Knex;
}

/** The one implementation of TenantDb, used by the kernel and by stores built on a platform connection. */
export function scopeToTenant(knex: Knex | Knex.Transaction, tenantId: string): TenantDb {
  if (!tenantId) throw new Error('scopeToTenant needs a tenant id');
  return Object.freeze({
    tenantId,
    fn: knex.fn,
    table(name: string) {
      const alias = name.split(/\s+as\s+/i).pop() ?? name;
      return knex(name).where(`${alias}.tenant_id`, tenantId) as never;
    },
    insert<TRecord extends Record<string, unknown>>(name: string, rows: TRecord | TRecord[]) {
      const list = Array.isArray(rows) ? rows : [rows];
      return knex(name).insert(list.map((row) => ({ ...row, tenant_id: tenantId })));
    },
    raw<TResult>(sql: string, bindings?: readonly Knex.RawBinding[] | Knex.ValueDict) {
      if (bindings === undefined) return knex.raw<TResult>(sql);
      return Array.isArray(bindings)
        ? knex.raw<TResult>(sql, bindings as readonly Knex.RawBinding[])
        : knex.raw<TResult>(sql, { ...(bindings as Knex.ValueDict), tenant_id: tenantId });
    },
    transaction<T>(work: (db: TenantDb) => Promise<T>) {
      if ('isTransaction' in knex && knex.isTransaction) return work(scopeToTenant(knex, tenantId));
      return (knex as Knex).transaction((trx) => work(scopeToTenant(trx, tenantId)));
    },
  });
}
