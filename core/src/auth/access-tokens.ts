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
export function createAccessTokens(key: Uint8Array, ttlSeconds: number) {
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
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
        if (typeof payload.sub !== 'string') return { error: 'token has no subject' };
        const tid = payload.tid;
        return { userId: payload.sub, tenantId: typeof tid === 'string' ? tid : null };
      } catch (error) {
        if (error instanceof errors.JWTExpired) return { error: 'access token expired: refresh it' };
        return { error: 'access token is not valid' };
      }
    },
  };
}
export type AccessTokens = ReturnType<typeof createAccessTokens>;
