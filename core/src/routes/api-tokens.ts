import { z } from 'zod';
import { ids, ProblemError, TOKEN_SCOPES, fetchPage, listQuerySchema, notFound, pageSchema, parseSort, type Principal } from '@oneservice/plugin-sdk';
import { API_TOKEN_PREFIX } from '../auth/authenticator.js';
import { newOpaqueToken } from '../auth/opaque-token.js';
import type { DeclareRoute, KernelServices } from './services.js';

export const apiTokenSchema = z.object({
  id: z.string().uuid(), user_id: z.string().uuid(), name: z.string(), prefix: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES as ['read', 'write', 'ingest', 'export'])),
  expires_at: z.string(), created_at: z.string(), last_used_at: z.string().nullable(), revoked_at: z.string().nullable(),
});

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
// The row minus its hash: the secret is shown once, at creation, and never stored.
const present = (row: Record<string, any>) => ({
  id: row.id, user_id: row.user_id, name: row.name, prefix: row.prefix, scopes: row.scopes,
  expires_at: iso(row.expires_at)!, created_at: iso(row.created_at)!, last_used_at: iso(row.last_used_at), revoked_at: iso(row.revoked_at),
});

/** API tokens are made and revoked from a signed-in session, never with another API token. */
function requireSession(principal: Principal): void {
  if (principal.tokenId) throw new ProblemError(403, 'Forbidden', 'API tokens cannot manage API tokens: sign in to do this');
}

export function registerApiTokenRoutes(route: DeclareRoute, { audit, usableScopes }: KernelServices): void {
  route({
    method: 'GET', path: '/auth/api-token/scopes', permission: 'tokens:own', tags: ['auth'],
    summary: 'The API-token scopes your role can use (a token asking for another one is refused)',
    schema: { response: z.object({ scopes: z.array(z.enum(TOKEN_SCOPES as ['read', 'write', 'ingest', 'export'])) }) },
    handler: async ({ principal }) => ({ scopes: usableScopes(principal.permissions) }),
  });

  route({
    method: 'POST', path: '/auth/api-token', permission: 'tokens:own', tags: ['auth'], status: 201,
    summary: 'Create an API token (the secret is in this answer only)',
    description: 'What the token may do is its scopes intersected with your role.',
    schema: {
      body: z.object({
        name: z.string().trim().min(1).max(200),
        scopes: z.array(z.enum(TOKEN_SCOPES as ['read', 'write', 'ingest', 'export'])).min(1).refine((s) => new Set(s).size === s.length, 'scopes repeat'),
        expires_in_days: z.number().int().min(1).max(365).default(90),
      }),
      response: z.object({ token: apiTokenSchema, secret: z.string() }),
    },
    async handler({ body, principal, db, ip }) {
      requireSession(principal);
      // A scope the role can use nowhere would make a token that only ever gets 403.
      const usable = usableScopes(principal.permissions);
      const unusable = body.scopes.filter((scope) => !usable.includes(scope));
      if (unusable.length > 0) {
        throw new ProblemError(403, 'Forbidden', `your role cannot use the ${unusable.join(', ')} scope${unusable.length > 1 ? 's' : ''}; it can use ${usable.join(', ')}`, unusable.map((scope) => ({ path: 'scopes', message: `your role cannot use the ${scope} scope` })), { usable_scopes: usable });
      }
      const token = newOpaqueToken(API_TOKEN_PREFIX);
      const [row] = await db.insert('api_tokens', {
        user_id: principal.userId, name: body.name, prefix: token.prefix, token_hash: token.hash, scopes: body.scopes,
        expires_at: new Date(Date.now() + body.expires_in_days * 86_400_000),
      }).returning('*');
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'api_token.create', resource: 'api_token', resourceId: row.id, outcome: 'success', ip, details: { name: body.name, scopes: body.scopes } });
      return { token: present(row), secret: token.secret };
    },
  });

  route({
    method: 'GET', path: '/auth/api-tokens', permission: 'tokens:own', tags: ['auth'],
    summary: 'List API tokens (your own; a tenant admin may list everyone’s with all=true)',
    schema: {
      query: listQuerySchema(['created_at', 'name', 'expires_at', 'last_used_at']).extend({ all: z.enum(['true', 'false']).default('false') }),
      response: pageSchema(apiTokenSchema),
    },
    async handler({ query, principal, db }) {
      let base = db.table('api_tokens');
      if (query.all !== 'true' || !principal.permissions.has('tokens:admin')) base = base.where('user_id', principal.userId);
      if (query.q) base = base.where((w) => w.whereILike('name', `%${query.q}%`).orWhereILike('prefix', `${query.q}%`));
      const { items, total } = await fetchPage(base, query, parseSort(query.sort, '-created_at'));
      return { items: items.map(present), total, page: query.page, page_size: query.page_size };
    },
  });

  route({
    method: 'DELETE', path: '/auth/api-tokens/:id', permission: 'tokens:own', tags: ['auth'], status: 204,
    summary: 'Revoke an API token',
    schema: { params: ids.params() },
    async handler({ params, principal, db, ip }) {
      requireSession(principal);
      let query = db.table('api_tokens').where('id', params.id);
      if (!principal.permissions.has('tokens:admin')) query = query.where('user_id', principal.userId);
      const row = await query.first();
      if (!row) throw notFound(`API token ${params.id}`);
      await db.table('api_tokens').where('id', params.id).whereNull('revoked_at').update({ revoked_at: new Date() });
      await audit.record({ tenantId: db.tenantId, actorId: principal.userId, actorEmail: principal.email, action: 'api_token.revoke', resource: 'api_token', resourceId: params.id, outcome: 'success', ip });
    },
  });
}
