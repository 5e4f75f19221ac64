import type { Knex } from 'knex';

/**
 * The writing transaction's id on every record, for gap-free following (see plugin-sdk/src/postgres/commit-order-cursor.ts and
 * docs/adr/0012-logs-follow-and-query-parser.md). The default is evaluated per INSERT, so it
 * cannot be forged by a writer and all rows of one batch share it. Rows stored before this
 * migration get the migration's own id: they were all committed before any follower started.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE log_records ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()');
  // A follow page reads the few rows of transactions newer than its cursor: (tenant, tx) finds
  // them directly; run and query filters apply to those rows only.
  await knex.raw('CREATE INDEX log_records_tenant_tx ON log_records (tenant_id, tx, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS log_records_tenant_tx');
  await knex.raw('ALTER TABLE log_records DROP COLUMN IF EXISTS tx');
}
