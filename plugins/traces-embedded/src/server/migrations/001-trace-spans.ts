import type { Knex } from 'knex';

/**
 * One row per span. Times are epoch milliseconds as double precision because spans carry
 * sub-millisecond fractions that a timestamptz (microseconds) would round and a Date would drop.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('trace_spans', (t) => {
    t.uuid('tenant_id').notNullable();
    t.text('trace_id').notNullable();
    t.text('span_id').notNullable();
    t.text('parent_span_id');
    t.text('name').notNullable();
    t.text('service').notNullable();
    t.double('start_ms').notNullable();
    t.double('end_ms').notNullable();
    t.text('status').notNullable();
    t.text('run_id');
    t.jsonb('attributes').notNullable().defaultTo('{}');
    // Also the idempotency key of writeSpans, and the lookup of a span's parent.
    t.primary(['tenant_id', 'trace_id', 'span_id']);
  });
  await knex.raw("ALTER TABLE trace_spans ADD CONSTRAINT trace_spans_status CHECK (status IN ('ok', 'error', 'unset'))");
  await knex.raw('CREATE INDEX trace_spans_tenant_start ON trace_spans (tenant_id, start_ms)');
  await knex.raw('CREATE INDEX trace_spans_tenant_service_name_start ON trace_spans (tenant_id, service, name, start_ms)');
  await knex.raw('CREATE INDEX trace_spans_tenant_run ON trace_spans (tenant_id, run_id, start_ms) WHERE run_id IS NOT NULL');
  // GIN has no leading column; the tenant filter is applied to the rows it returns.
  await knex.raw('CREATE INDEX trace_spans_attributes ON trace_spans USING gin (attributes jsonb_path_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('trace_spans');
}
