import { z } from 'zod';
import { ids, conflict, listQuerySchema, notFound, pageSchema, parseSort, fetchPage } from '@oneservice/plugin-sdk';
import type { DeclareRoute, KernelServices } from './services.js';

const tenantSchema = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), status: z.enum(['active', 'suspended']), created_at: z.string(), updated_at: z.string() });
const present = (row: Record<string, any>) => ({ ...row, created_at: new Date(row.created_at).toISOString(), updated_at: new Date(row.updated_at).toISOString() }) as z.infer<typeof tenantSchema>;
const idParams = ids.params();
const slug = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2–63 characters');

export function registerTenantRoutes(route: DeclareRoute, { knex, audit, hooks }: KernelServices): void {
  route({
    method: 'GET', path: '/tenants', permission: 'tenants:read', tenant: 'optional', tags: ['tenants'],
    summary: 'List tenants (a super-admin sees all; others see their own)',
    schema: { query: listQuerySchema(['name', 'slug', 'created_at', 'status']), response: pageSchema(tenantSchema) },
    async handler({ query, principal }) {
      let base = knex('tenants');
      if (!principal.isSuperAdmin) base = base.where('id', principal.tenantId);
      if (query.q) base = base.where((w) => w.whereILike('name', `%${query.q}%`).orWhereILike('slug', `%${query.q}%`));
      const { column, direction } = parseSort(query.sort, 'name');
      const { items, total } = await fetchPage(base, query, { column, direction });
      return { items: items.map(present), total, page: query.page, page_size: query.page_size };
    },
  });

  route({
    method: 'GET', path: '/tenants/:id', permission: 'tenants:read', tenant: 'optional', tags: ['tenants'],
    summary: 'One tenant', schema: { params: idParams, response: tenantSchema },
    async handler({ params, principal }) {
      if (!principal.isSuperAdmin && params.id !== principal.tenantId) throw notFound(`tenant ${params.id}`);
      const row = await knex('tenants').where({ id: params.id }).first();
      if (!row) throw notFound(`tenant ${params.id}`);
      return present(row);
    },
  });

  route({
    method: 'POST', path: '/tenants', permission: 'tenants:admin', tenant: 'optional', tags: ['tenants'], status: 201,
    summary: 'Create a tenant', schema: { body: z.object({ slug, name: z.string().trim().min(1).max(200) }), response: tenantSchema },
    async handler({ body, principal, ip }) {
      if (await knex('tenants').where({ slug: body.slug }).first()) throw conflict(`a tenant with slug ${body.slug} exists`);
      const [row] = await knex('tenants').insert(body).returning('*');
      await audit.record({ tenantId: row.id, actorId: principal.userId, actorEmail: principal.email, action: 'tenant.create', resource: 'tenant', resourceId: row.id, outcome: 'success', ip, details: body });
      await hooks.tenantCreated.promise({ tenantId: row.id, slug: row.slug });
      return present(row);
    },
  });

  route({
    method: 'PATCH', path: '/tenants/:id', permission: 'tenants:admin', tenant: 'optional', tags: ['tenants'],
    summary: 'Rename or suspend a tenant',
    schema: { params: idParams, body: z.object({ name: z.string().trim().min(1).max(200).optional(), status: z.enum(['active', 'suspended']).optional() }), response: tenantSchema },
    async handler({ params, body, principal, ip }) {
      const [row] = await knex('tenants').where({ id: params.id }).update({ ...body, updated_at: new Date() }).returning('*');
      if (!row) throw notFound(`tenant ${params.id}`);
      await audit.record({ tenantId: row.id, actorId: principal.userId, actorEmail: principal.email, action: 'tenant.update', resource: 'tenant', resourceId: row.id, outcome: 'success', ip, details: body });
      return present(row);
    },
  });

  route({
    method: 'DELETE', path: '/tenants/:id', permission: 'tenants:admin', tenant: 'optional', tags: ['tenants'], status: 204,
    summary: 'Delete a tenant and everything it owns', schema: { params: idParams },
    async handler({ params, principal, ip }) {
      const row = await knex('tenants').where({ id: params.id }).first();
      if (!row) throw notFound(`tenant ${params.id}`);
      await hooks.tenantDeleted.promise({ tenantId: row.id, slug: row.slug });
      // Every table carries tenant_id (plugins' included), so the tenant's rows go in one sweep;
      // plugins tap tenantDeleted only for data outside PostgreSQL (files, engines).
      await knex.transaction(async (trx) => {
        const tables = await trx('information_schema.columns')
          .where({ table_schema: 'public', column_name: 'tenant_id' })
          .whereNotIn('table_name', ['tenants', 'audit_log'])
          .whereIn('table_name', trx('information_schema.tables').select('table_name').where({ table_schema: 'public', table_type: 'BASE TABLE' }))
          .pluck('table_name');
        for (const table of tables) await trx(table).where('tenant_id', params.id).delete();
        await trx('tenants').where({ id: params.id }).delete();
      });
      await audit.record({ tenantId: null, actorId: principal.userId, actorEmail: principal.email, action: 'tenant.delete', resource: 'tenant', resourceId: row.id, outcome: 'success', ip, details: { slug: row.slug } });
    },
  });
}
