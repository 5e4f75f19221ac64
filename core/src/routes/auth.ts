import { z } from 'zod';
import { ProblemError } from '@oneservice/plugin-sdk';
import type { DeclareRoute, KernelServices } from './services.js';

const tokenResponse = z.object({
  access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), refresh_token: z.string(),
});

// OAuth2 password grant (RFC 6749 §4.3): form or JSON; `tenant` picks the account when one email
// exists in several tenants.
const loginBody = z.object({
  grant_type: z.literal('password').optional(),
  username: z.string().trim().min(1, 'username (your email) is required').max(320),
  password: z.string().min(1, 'password is required').max(1024),
  tenant: z.string().trim().min(1).max(64).optional(),
  scope: z.string().optional(),
});

/** Hash of a random password: verifying against it when the account does not exist keeps timing equal. */
let decoyHash: Promise<string> | null = null;

export function registerAuthRoutes(route: DeclareRoute, services: KernelServices): void {
  const { knex, passwords, accessTokens, refreshTokens, throttle, audit } = services;

  async function tokensFor(userId: string, tenantId: string | null, familyId?: string) {
    return {
      access_token: await accessTokens.issue({ userId, tenantId }),
      token_type: 'Bearer' as const,
      expires_in: accessTokens.ttlSeconds,
      refresh_token: await refreshTokens.issue(userId, tenantId, familyId),
    };
  }

  route({
    method: 'POST', path: '/auth/login', permission: 'public', tenant: 'optional', tags: ['auth'],
    summary: 'Sign in (OAuth2 password grant)',
    description: 'Returns a short-lived JWT access token and a rotating refresh token. Repeated failures lock the account (and the address) for a while: the 429 answer says when to retry.',
    schema: { body: loginBody, response: tokenResponse },
    async handler({ body, ip }) {
      const email = body.username.toLowerCase();
      let query = knex('users').leftJoin('tenants', 'tenants.id', 'users.tenant_id').whereRaw('lower(users.email) = ?', [email]).andWhere('users.is_active', true);
      if (body.tenant) query = query.andWhere('tenants.slug', body.tenant);
      const candidates = await query.select('users.id', 'users.tenant_id', 'users.password_hash', 'tenants.status as tenant_status');
      if (candidates.length > 1) {
        throw new ProblemError(400, 'Bad Request', 'this email has accounts in several tenants: say which with "tenant" (the tenant slug)', [{ path: 'tenant', message: 'required for this account' }]);
      }
      const user = candidates[0];
      const wait = await throttle.retryAfter(email, ip);
      if (wait > 0) {
        await audit.record({ tenantId: user?.tenant_id ?? null, actorId: user?.id ?? null, actorEmail: email, action: 'auth.login', resource: 'session', outcome: 'failure', ip, details: { reason: 'throttled', retry_after: wait } });
        throw new ProblemError(429, 'Too Many Requests', `too many failed sign-ins: try again in ${wait} seconds`, undefined, { retry_after: wait });
      }
      decoyHash ??= passwords.hash(`decoy-${Math.random()}`);
      const ok = await passwords.verify(user?.password_hash ?? (await decoyHash), body.password);
      if (!user || !ok || (user.tenant_status && user.tenant_status !== 'active')) {
        await throttle.recordFailure(email, ip);
        await audit.record({ tenantId: user?.tenant_id ?? null, actorId: user?.id ?? null, actorEmail: email, action: 'auth.login', resource: 'session', outcome: 'failure', ip, details: { reason: user && ok ? 'tenant suspended' : 'bad credentials' } });
        throw new ProblemError(401, 'Unauthorized', 'wrong email or password');
      }
      await throttle.clear(email);
      await knex('users').where({ id: user.id }).update({ last_login_at: new Date() });
      await audit.record({ tenantId: user.tenant_id, actorId: user.id, actorEmail: email, action: 'auth.login', resource: 'session', outcome: 'success', ip });
      return tokensFor(user.id, user.tenant_id);
    },
  });

  route({
    method: 'POST', path: '/auth/token/refresh', permission: 'public', tenant: 'optional', tags: ['auth'],
    summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)',
    schema: { body: z.object({ refresh_token: z.string().min(1) }), response: tokenResponse },
    async handler({ body, ip }) {
      const outcome = await refreshTokens.consume(body.refresh_token);
      if (!outcome.ok) {
        if (outcome.reason === 'reused') {
          await audit.record({ tenantId: outcome.tenantId ?? null, actorId: outcome.userId ?? null, actorEmail: null, action: 'auth.refresh_reused', resource: 'session', outcome: 'failure', ip, details: { effect: 'all sessions of this sign-in were revoked' } });
        }
        const why = { unknown: 'refresh token is not valid', expired: 'refresh token expired: sign in again', revoked: 'refresh token was revoked: sign in again', reused: 'refresh token was already used: every session of this sign-in is now revoked, sign in again' }[outcome.reason];
        throw new ProblemError(401, 'Unauthorized', why);
      }
      const user = await knex('users').where({ id: outcome.userId, is_active: true }).first('id');
      if (!user) throw new ProblemError(401, 'Unauthorized', 'this account is disabled');
      return tokensFor(outcome.userId, outcome.tenantId, outcome.familyId);
    },
  });

  route({
    method: 'POST', path: '/auth/logout', permission: 'public', tenant: 'optional', tags: ['auth'],
    summary: 'Revoke a refresh token and every token rotated from it', status: 204,
    schema: { body: z.object({ refresh_token: z.string().min(1) }) },
    async handler({ body }) {
      await refreshTokens.revokeFamilyOf(body.refresh_token);
    },
  });
}
