import type { Knex } from 'knex';

/** The kernel's own tables (DESIGN §2): tenants, users, credentials, audit, plugin state, bindings, settings. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('slug', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('status', 16).notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // null only for platform super-admins, who belong to no tenant and act in one by naming it.
    t.uuid('tenant_id').nullable().references('tenants.id').onDelete('CASCADE');
    t.string('email', 320).notNullable();
    t.string('display_name', 200).notNullable();
    t.text('password_hash').notNullable();
    t.string('role', 32).nullable();
    t.boolean('is_super_admin').notNullable().defaultTo(false);
    t.boolean('is_active').notNullable().defaultTo(true);
    t.jsonb('preferences').notNullable().defaultTo('{}');
    t.timestamp('last_login_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, lower(email)) NULLS NOT DISTINCT');
  await knex.raw('CREATE INDEX users_email ON users (lower(email))');
  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('prefix', 32).notNullable();
    t.string('token_hash', 128).notNullable().unique();
    t.specificType('scopes', 'text[]').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'user_id']);
  });
  await knex.schema.createTable('refresh_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').nullable();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // Every rotation stays in one family; presenting a used token revokes the whole family.
    t.uuid('family_id').notNullable().index();
    t.string('token_hash', 128).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').nullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('actor_id').nullable();
    t.string('actor_email', 320).nullable();
    t.string('action', 100).notNullable();
    t.string('resource', 100).notNullable();
    t.string('resource_id', 200).nullable();
    t.string('outcome', 16).notNullable();
    t.string('ip', 64).nullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['tenant_id', 'at']);
  });
  await knex.schema.createTable('login_failures', (t) => {
    t.bigIncrements('id');
    t.string('email', 320).notNullable();
    t.string('ip', 64).notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['email', 'at']);
    t.index(['ip', 'at']);
  });
  await knex.schema.createTable('plugin_states', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('plugin_id', 64).notNullable();
    t.boolean('enabled').notNullable();
    t.uuid('updated_by').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'plugin_id']);
  });
  await knex.schema.createTable('datasource_bindings', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('plugin_id', 64).notNullable();
    t.string('port', 64).nullable();
    t.string('provider', 64).nullable();
    t.string('name', 200).notNullable();
    // Sealed with the platform key: secrets are decrypted only on the server, never sent back.
    t.text('settings_sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'name']);
  });
  await knex.schema.createTable('settings', (t) => {
    t.uuid('tenant_id').nullable();
    t.string('key', 200).notNullable();
    t.jsonb('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX settings_tenant_key ON settings (tenant_id, key) NULLS NOT DISTINCT');
  await knex.schema.createTable('leases', (t) => {
    t.string('name', 200).primary();
    t.string('holder', 200).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['leases', 'settings', 'datasource_bindings', 'plugin_states', 'login_failures', 'audit_log', 'refresh_tokens', 'api_tokens', 'users', 'tenants']) {
    await knex.schema.dropTableIfExists(table);
  }
}
