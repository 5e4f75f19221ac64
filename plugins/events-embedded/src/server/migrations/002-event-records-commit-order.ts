import type { Knex } from 'knex';

/**
 * The writing transaction's id on every event, for gap-free following (followInCommitOrder in
 * plugin-sdk/src/postgres/commit-order-cursor.ts; docs/adr/0012-logs-follow-and-query-parser.md).
 * The default is evaluated per INSERT, so it cannot be forged by a writer and all events of one
 * write share it. Events stored before this migration get the migration's own id: they were all
 * committed before any follower started. Written out here rather than called from the SDK: a
 * migration's SQL must never change after it has run somewhere.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE event_records ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()');
  // A follow page reads the few rows of transactions newer than its cursor: (tenant, tx) finds
  // them directly; the other filters apply to those rows only.
  await knex.raw('CREATE INDEX event_records_tenant_tx ON event_records (tenant_id, tx, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS event_records_tenant_tx');
  await knex.raw('ALTER TABLE event_records DROP COLUMN IF EXISTS tx');
}
