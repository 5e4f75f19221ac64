import type { Knex } from 'knex';

/**
 * Database access bound to one tenant. `table()` starts every query with `tenant_id = ?`, and
 * `insert()` stamps tenant_id on every row, so an unscoped query has to be written on purpose
 * (through `knex`, which code review treats as a red flag outside migrations).
 */
export interface TenantDb {
  readonly tenantId: string;
  /** `knex(table).where(table.tenant_id, tenantId)`; qualify columns when you join. */
  table<TRecord extends {} = any>(name: string): Knex.QueryBuilder<TRecord, TRecord[]>;
  insert<TRecord extends Record<string, unknown>>(name: string, rows: TRecord | TRecord[]): Knex.QueryBuilder;
  /** Runs `work` in a transaction whose `table`/`insert` stay scoped to the same tenant. */
  transaction<T>(work: (db: TenantDb) => Promise<T>): Promise<T>;
  /** The raw connection (or transaction), for COPY and SQL that scoping cannot express. */
  readonly knex: Knex | Knex.Transaction;
}

export interface PluginDb {
  /** The only door to tenant data. */
  forTenant(tenantId: string): TenantDb;
  /** Unscoped, for migrations and cross-tenant maintenance (retention, leases) only. */
  readonly knex: Knex;
}

/** The one implementation of TenantDb, used by the kernel and by tests that build a store directly. */
export function scopeToTenant(knex: Knex | Knex.Transaction, tenantId: string): TenantDb {
  if (!tenantId) throw new Error('scopeToTenant needs a tenant id');
  return {
    tenantId,
    knex,
    table(name: string) {
      const alias = name.split(/\s+as\s+/i).pop() ?? name;
      return knex(name).where(`${alias}.tenant_id`, tenantId) as never;
    },
    insert(name, rows) {
      const list = Array.isArray(rows) ? rows : [rows];
      return knex(name).insert(list.map((row) => ({ ...row, tenant_id: tenantId })));
    },
    transaction(work) {
      if ('commit' in knex && typeof knex.commit === 'function' && 'isTransaction' in knex) {
        return work(scopeToTenant(knex, tenantId));
      }
      return (knex as Knex).transaction((trx) => work(scopeToTenant(trx, tenantId)));
    },
  };
}
