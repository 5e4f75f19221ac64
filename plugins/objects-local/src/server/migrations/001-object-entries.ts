import type { Knex } from 'knex';

/**
 * Metadata of each stored object; the bytes live on local disk. Keys use the "C" collation so they
 * sort bytewise (as S3 lists them) and a prefix LIKE can be answered from the primary key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('object_entries', (t) => {
    t.uuid('tenant_id').notNullable();
    t.text('key').notNullable();
    t.bigInteger('size').notNullable();
    t.specificType('sha256', 'char(64)').notNullable();
    t.text('content_type').notNullable();
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE object_entries ALTER COLUMN key TYPE text COLLATE "C"');
  await knex.raw('ALTER TABLE object_entries ADD PRIMARY KEY (tenant_id, key)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('object_entries');
}
