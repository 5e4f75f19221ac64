import type { Knex } from 'knex';

/** One row per event (run events and Kubernetes events alike); attributes are the filterable dimensions. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('event_records', (t) => {
    t.bigIncrements('id', { primaryKey: false });
    t.uuid('tenant_id').notNullable();
    t.timestamp('ts', { useTz: true, precision: 3 }).notNullable();
    t.text('type').notNullable();
    t.text('source').notNullable();
    t.text('severity').notNullable();
    t.text('message');
    t.text('run_id');
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.primary(['tenant_id', 'id']);
  });
  await knex.raw("ALTER TABLE event_records ADD CONSTRAINT event_records_severity CHECK (severity IN ('info', 'warning', 'error', 'critical'))");
  await knex.raw('CREATE INDEX event_records_tenant_ts ON event_records (tenant_id, ts, id)');
  await knex.raw('CREATE INDEX event_records_tenant_run_ts ON event_records (tenant_id, run_id, ts, id) WHERE run_id IS NOT NULL');
  await knex.raw('CREATE INDEX event_records_tenant_type_ts ON event_records (tenant_id, type, ts)');
  // GIN has no leading column; the tenant filter is applied to the rows it returns.
  await knex.raw('CREATE INDEX event_records_attributes ON event_records USING gin (attributes jsonb_path_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('event_records');
}
