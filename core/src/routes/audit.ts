import { z } from 'zod';
import { ProblemError, countRows, ids } from '@oneservice/plugin-sdk';
import type { DeclareRoute, KernelServices } from './services.js';

const entrySchema = z.object({
  id: z.string(), at: z.string(), actor_id: z.string().nullable(), actor_email: z.string().nullable(), action: z.string(), resource: z.string(),
  resource_id: z.string().nullable(), outcome: z.string(), ip: z.string().nullable(), details: z.record(z.string(), z.unknown()),
});

const isUuid = (value: string) => ids.uuid().safeParse(value).success;

export function registerAuditRoutes(route: DeclareRoute, { knex }: KernelServices): void {
  route({
    method: 'GET', path: '/audit', permission: 'audit:read', tags: ['audit'], tenant: 'optional',
    summary: 'The tenant’s audit log (newest first unless sort=at)',
    description: 'A platform super-admin who names no tenant sees the platform’s own entries: tenant creation and deletion, sign-ins of super-admins, failed sign-ins of unknown accounts.',
    schema: {
      query: z.object({
        actor: z.string().max(320).optional().describe('actor email (substring) or id'),
        action: z.string().max(100).optional().describe('exact action, or a prefix ending in * (e.g. api_token.*)'),
        resource: z.string().max(100).optional(),
        outcome: z.enum(['success', 'failure']).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        sort: z.enum(['at', '-at']).default('-at'),
        page: z.coerce.number().int().min(1).default(1),
        page_size: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: z.object({ items: z.array(entrySchema), total: z.number().int(), page: z.number().int(), page_size: z.number().int() }),
    },
    async handler({ query, db, tenantId, principal }) {
      if (!tenantId && !principal.isSuperAdmin) throw new ProblemError(400, 'Bad Request', 'your account belongs to no tenant');
      let base = tenantId ? db.table('audit_log') : knex('audit_log').whereNull('tenant_id');
      if (query.actor) base = isUuid(query.actor) ? base.where('actor_id', query.actor) : base.whereILike('actor_email', `%${query.actor}%`);
      if (query.action) base = query.action.endsWith('*') ? base.whereLike('action', `${query.action.slice(0, -1).replace(/[%_]/g, '\\$&')}%`) : base.where('action', query.action);
      if (query.resource) base = base.where('resource', query.resource);
      if (query.outcome) base = base.where('outcome', query.outcome);
      if (query.from) base = base.where('at', '>=', new Date(query.from));
      if (query.to) base = base.where('at', '<', new Date(query.to));
      const total = await countRows(base);
      const direction = query.sort === 'at' ? 'asc' : 'desc';
      const rows = await base.orderBy('at', direction).orderBy('id', direction).limit(query.page_size).offset((query.page - 1) * query.page_size);
      return {
        items: rows.map((row: Record<string, any>) => ({
          id: String(row.id), at: new Date(row.at).toISOString(), actor_id: row.actor_id, actor_email: row.actor_email, action: row.action,
          resource: row.resource, resource_id: row.resource_id, outcome: row.outcome, ip: row.ip, details: row.details,
        })),
        total: Number(total), page: query.page, page_size: query.page_size,
      };
    },
  });
}
