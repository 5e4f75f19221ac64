import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';

export type RefreshOutcome =
  | { ok: true; userId: string; tenantId: string | null; familyId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused'; userId?: string; tenantId?: string | null };

/**
 * Rotating refresh tokens: each use returns a new token of the same family and retires the old one.
 * Presenting a retired token means it was stolen or replayed, so the whole family is revoked.
 */
export class RefreshTokens {
  constructor(private readonly knex: Knex, private readonly ttlSeconds: number) {}

  async issue(userId: string, tenantId: string | null, familyId: string = randomUUID()): Promise<string> {
    const token = newOpaqueToken('osr');
    await this.knex('refresh_tokens').insert({
      user_id: userId, tenant_id: tenantId, family_id: familyId, token_hash: token.hash,
      expires_at: new Date(Date.now() + this.ttlSeconds * 1000),
    });
    return token.secret;
  }

  async consume(secret: string): Promise<RefreshOutcome> {
    return this.knex.transaction(async (trx) => {
      const row = await trx('refresh_tokens').where({ token_hash: hashOpaqueToken(secret) }).forUpdate().first();
      if (!row) return { ok: false, reason: 'unknown' } as const;
      const who = { userId: row.user_id as string, tenantId: row.tenant_id as string | null };
      if (row.revoked_at) return { ok: false, reason: 'revoked', ...who } as const;
      if (row.used_at) {
        await trx('refresh_tokens').where({ family_id: row.family_id }).whereNull('revoked_at').update({ revoked_at: new Date() });
        return { ok: false, reason: 'reused', ...who } as const;
      }
      if (new Date(row.expires_at).getTime() <= Date.now()) return { ok: false, reason: 'expired', ...who } as const;
      await trx('refresh_tokens').where({ id: row.id }).update({ used_at: new Date() });
      return { ok: true, ...who, familyId: row.family_id as string } as const;
    });
  }

  async revokeFamilyOf(secret: string): Promise<boolean> {
    const row = await this.knex('refresh_tokens').where({ token_hash: hashOpaqueToken(secret) }).first();
    if (!row) return false;
    await this.knex('refresh_tokens').where({ family_id: row.family_id }).whereNull('revoked_at').update({ revoked_at: new Date() });
    return true;
  }
}
