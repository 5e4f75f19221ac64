import type { Knex } from 'knex';
import { ProblemError, selectPrepared, type Principal, type Role, type TokenScope } from '@oneservice/plugin-sdk';
import type { PermissionRegistry } from '../rbac/permission-registry.js';
import type { AccessTokens } from './access-tokens.js';
import { hashOpaqueToken } from './opaque-token.js';

export const TENANT_HEADER = 'x-oneservice-tenant';
export const API_TOKEN_PREFIX = 'ost';

interface UserRow {
  id: string;
  tenant_id: string | null;
  email: string;
  role: Role | null;
  is_super_admin: boolean;
  is_active: boolean;
  tenant_status: string | null;
}

interface ApiTokenRow {
  id: string;
  tenant_id: string;
  user_id: string;
  scopes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const unauthorized = (detail: string) => new ProblemError(401, 'Unauthorized', detail);

/**
 * Resolves the caller of a request from its credential — a JWT access token or an API token — and
 * the tenant it acts in. The tenant always comes from the credential; only a platform super-admin
 * may name one, with the X-OneService-Tenant header.
 */
export class Authenticator {
  /** Users change rarely and every request needs one: a short cache keeps auth off the hot path. */
  private readonly userCache = new Map<string, { row: UserRow | null; until: number }>();
  private readonly tenantCache = new Map<string, { id: string | null; until: number }>();
  private static readonly CACHE_MS = 5000;

  constructor(
    private readonly knex: Knex,
    private readonly accessTokens: AccessTokens,
    private readonly permissions: PermissionRegistry,
  ) {}

  forgetUser(userId: string): void {
    this.userCache.delete(userId);
  }

  async authenticate(authorization: string | undefined, tenantHeader: string | undefined): Promise<Principal> {
    if (!authorization) throw unauthorized('sign in: send Authorization: Bearer <access token or API token>');
    const [kind, credential] = authorization.split(' ');
    if (kind?.toLowerCase() !== 'bearer' || !credential) throw unauthorized('the Authorization header must be "Bearer <token>"');
    if (credential.startsWith(`${API_TOKEN_PREFIX}_`)) return this.fromApiToken(credential, tenantHeader);
    const claims = await this.accessTokens.verify(credential);
    if ('error' in claims) throw unauthorized(claims.error);
    const user = await this.user(claims.userId);
    if (!user || !user.is_active) throw unauthorized('this account is disabled or no longer exists');
    if (user.tenant_status && user.tenant_status !== 'active') throw unauthorized('this tenant is suspended');
    if (user.is_super_admin) {
      const tenantId = tenantHeader ? await this.resolveTenant(tenantHeader) : null;
      if (tenantHeader && !tenantId) throw new ProblemError(404, 'Not Found', `tenant ${tenantHeader} does not exist`);
      return this.principal(user, tenantId, this.permissions.forSuperAdmin(), null, null);
    }
    await this.refuseOtherTenant(user.tenant_id, tenantHeader);
    return this.principal(user, user.tenant_id, this.permissions.forRole(user.role!), null, null);
  }

  private async fromApiToken(secret: string, tenantHeader: string | undefined): Promise<Principal> {
    // Every request signed with an API token (all of ingest) reads its row: a prepared statement.
    const [token] = await selectPrepared<ApiTokenRow>(this.knex('api_tokens').where({ token_hash: hashOpaqueToken(secret) }).limit(1));
    if (!token) throw unauthorized('API token is not valid');
    if (token.revoked_at) throw unauthorized('API token was revoked');
    if (new Date(token.expires_at).getTime() <= Date.now()) throw unauthorized('API token expired: create a new one');
    const user = await this.user(token.user_id);
    if (!user || !user.is_active) throw unauthorized('the owner of this API token is disabled');
    if (user.tenant_status && user.tenant_status !== 'active') throw unauthorized('this tenant is suspended');
    await this.refuseOtherTenant(token.tenant_id, tenantHeader);
    // Recording every use would put a write on every request; once a minute is enough to audit staleness.
    if (!token.last_used_at || Date.now() - new Date(token.last_used_at).getTime() > 60_000) {
      void this.knex('api_tokens').where({ id: token.id }).update({ last_used_at: new Date() }).catch(() => undefined);
    }
    const rolePermissions = user.is_super_admin ? this.permissions.forSuperAdmin() : this.permissions.forRole(user.role!);
    return this.principal(user, token.tenant_id, rolePermissions, new Set(token.scopes as TokenScope[]), token.id);
  }

  private async refuseOtherTenant(ownTenantId: string | null, tenantHeader: string | undefined): Promise<void> {
    if (!tenantHeader) return;
    const named = await this.resolveTenant(tenantHeader);
    if (named !== ownTenantId) throw new ProblemError(403, 'Forbidden', 'this credential belongs to another tenant');
  }

  private principal(user: UserRow, tenantId: string | null, permissions: ReadonlySet<string>, scopes: ReadonlySet<TokenScope> | null, tokenId: string | null): Principal {
    return { userId: user.id, email: user.email, role: user.role, isSuperAdmin: user.is_super_admin, tenantId, permissions, tokenScopes: scopes, tokenId };
  }

  private async user(id: string): Promise<UserRow | null> {
    const cached = this.userCache.get(id);
    if (cached && cached.until > Date.now()) return cached.row;
    const [found] = await selectPrepared<UserRow>(this.knex('users')
      .leftJoin('tenants', 'tenants.id', 'users.tenant_id')
      .where('users.id', id)
      .select('users.id', 'users.tenant_id', 'users.email', 'users.role', 'users.is_super_admin', 'users.is_active', 'tenants.status as tenant_status')
      .limit(1));
    const row = found ?? null;
    this.userCache.set(id, { row, until: Date.now() + Authenticator.CACHE_MS });
    return row;
  }

  /** A tenant named by id or slug, or null when it does not exist. */
  async resolveTenant(idOrSlug: string): Promise<string | null> {
    const cached = this.tenantCache.get(idOrSlug);
    if (cached && cached.until > Date.now()) return cached.id;
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
    const row = await this.knex('tenants').where(isUuid ? { id: idOrSlug } : { slug: idOrSlug }).first('id');
    const id = (row?.id as string | undefined) ?? null;
    this.tenantCache.set(idOrSlug, { id, until: Date.now() + Authenticator.CACHE_MS });
    return id;
  }
}
