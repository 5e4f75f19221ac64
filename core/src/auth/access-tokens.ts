import { createSecretKey } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';

export interface AccessClaims {
  userId: string;
  tenantId: string | null;
}

const ISSUER = 'oneservice';
const AUDIENCE = 'oneservice-api';

/**
 * Short-lived JWT access tokens (HS256 with a key derived from the platform secret). Verification
 * pins the algorithm, so `alg: none` and algorithm-confusion tokens are refused by jose itself.
 */
export function createAccessTokens(rawKey: Uint8Array, ttlSeconds: number) {
  // A KeyObject made once: passing raw bytes makes jose import a WebCrypto key on every call.
  const key = createSecretKey(rawKey);
  // Verified tokens are remembered until they expire, so a busy client costs one HMAC per token,
  // not per request. Bounded: the oldest entries go first.
  const verified = new Map<string, { claims: AccessClaims; exp: number }>();
  const MAX_CACHED = 10_000;
  return {
    ttlSeconds,
    async issue(claims: AccessClaims): Promise<string> {
      return new SignJWT({ tid: claims.tenantId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    /** Returns the claims, or a reason the token is not acceptable. */
    async verify(token: string): Promise<AccessClaims | { error: string }> {
      const known = verified.get(token);
      if (known) {
        if (known.exp * 1000 > Date.now()) return known.claims;
        verified.delete(token);
        return { error: 'access token expired: refresh it' };
      }
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
        if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return { error: 'access token is not valid' };
        const tid = payload.tid;
        const claims = { userId: payload.sub, tenantId: typeof tid === 'string' ? tid : null };
        if (verified.size >= MAX_CACHED) verified.delete(verified.keys().next().value!);
        verified.set(token, { claims, exp: payload.exp });
        return claims;
      } catch (error) {
        if (error instanceof errors.JWTExpired) return { error: 'access token expired: refresh it' };
        return { error: 'access token is not valid' };
      }
    },
  };
}
export type AccessTokens = ReturnType<typeof createAccessTokens>;
