import { z } from 'zod';
import { ids, ROLES, conflict, listQuerySchema, notFound, pageSchema, parseSort, fetchPage } from '@oneservice/plugin-sdk';
import type { DeclareRoute, KernelServices } from './services.js';

const userSchema = z.object({
  id: z.string().uuid(), email: z.string(), display_name: z.string(), role: z.enum(ROLES), is_active: z.boolean(),
  last_login_at: z.string().nullable(), created_at: z.string(), updated_at: z.string(),
});
const columns = ['id', 'email', 'display_name', 'role', 'is_active', 'last_login_at', 'created_at', 'updated_at'];
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const present = (row: Record<string, any>) => ({ ...row, last_login_at: iso(row.last_login_at), created_at: iso(row.created_at)!, updated_at: iso(row.updated_at)! }) as z.infer<typeof userSchema>;
const idParams = ids.params();
const password = z.string().min(10, 'at least 10 characters').max(1024);

export function registerUserRoutes(route: DeclareRoute, { passwords, audit, authenticator }: KernelServices): void {
  route({
    method: 'GET', path: '/users', permission: 'users:read', tags: ['users'],
    summary: 'List the tenant’s users (search by email or name, filter by role)',
    schema: {
      query: listQuerySchema(['email', 'display_name', 'role', 'created_at', 'last_login_at']).extend({ role: z.enum(ROLES).optional() }),
      response: pageSchema(userSchema),
    },
    async handler({ query, db }) {
      let base = db.table('users');
      if (query.q) base = base.where((w) => w.whereILike('email', `%${query.q}%`).orWhereILike('display_name', `%${query.q}%`));
      if (query.role) base = base.where('role', query.role);
      const { column, direction } = parseSort(query.sort, 'email');
      const { items, total } = await fetchPage(base, query, { column, direction }, columns);
      return { items: items.map(present), total, page: query.page, page_size: query.page_size };
    },
  });

  route({
    method: 'GET', path: '/users/:id', permission: 'users:read', tags: ['users'], summary: 'One user',
    schema: { params: idParams, response: userSchema },
    async handler({ params, db }) {
      const row = await db.table('users').where('id', params.id).first(columns);
      if (!row) throw notFound(`user ${params.id}`);
      return present(row);
    },
  });

  route({
    method: 'POST', path: '/users', permission: 'users:admin', tags: ['users'], status: 201, summary: 'Create a user',
    schema: { body: z.object({ email: z.string().trim().toLowerCase().email(), display_name: z.string().trim().min(1).max(200), role: z.enum(ROLES), password }), response: userSchema },
    async handler({ body, db, principal, ip }) {
      if (await db.table('users').whereRaw('lower(email) = ?', [body.email]).first()) throw conflict(`${body.email} already has an account in this tenant`);
      const [row] = await db.insert('users', { email: body.email, display_name: body.display_name, role: body.role, password_hash: await passwords.hash(body.password) }).returning(columns);
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'user.create', resource: 'user', resourceId: row.id, outcome: 'success', ip, details: { email: body.email, role: body.role } });
      return present(row);
    },
  });

  route({
    method: 'PATCH', path: '/users/:id', permission: 'users:admin', tags: ['users'], summary: 'Change a user’s name, role, state or password',
    schema: { params: idParams, body: z.object({ display_name: z.string().trim().min(1).max(200).optional(), role: z.enum(ROLES).optional(), is_active: z.boolean().optional(), password: password.optional() }), response: userSchema },
    async handler({ params, body, db, principal, ip }) {
      // Locking oneself out leaves a tenant without an admin who can undo it; another admin can do it.
      if (params.id === principal.userId && (body.is_active === false || (body.role !== undefined && body.role !== principal.role))) {
        throw conflict('you cannot deactivate yourself or change your own role: ask another tenant admin');
      }
      const { password: newPassword, ...fields } = body;
      const changes: Record<string, unknown> = { ...fields, updated_at: new Date() };
      if (newPassword) changes.password_hash = await passwords.hash(newPassword);
      const [row] = await db.table('users').where('id', params.id).update(changes).returning(columns);
      if (!row) throw notFound(`user ${params.id}`);
      authenticator.forgetUser(params.id);
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'user.update', resource: 'user', resourceId: params.id, outcome: 'success', ip, details: { ...fields, password_changed: Boolean(newPassword) } });
      return present(row);
    },
  });

  route({
    method: 'DELETE', path: '/users/:id', permission: 'users:admin', tags: ['users'], status: 204, summary: 'Delete a user (and their tokens)',
    schema: { params: idParams },
    async handler({ params, db, principal, ip }) {
      if (params.id === principal.userId) throw conflict('you cannot delete yourself: ask another tenant admin');
      const deleted = await db.table('users').where('id', params.id).delete();
      if (!deleted) throw notFound(`user ${params.id}`);
      authenticator.forgetUser(params.id);
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'user.delete', resource: 'user', resourceId: params.id, outcome: 'success', ip });
    },
  });
}
