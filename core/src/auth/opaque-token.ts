import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque credentials (API tokens, refresh tokens) are 256 random bits: a fast SHA-256 of them is a
 * safe stored form (no dictionary to attack), unlike passwords, which use argon2.
 */
export function newOpaqueToken(prefix: string): { secret: string; hash: string; prefix: string } {
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashOpaqueToken(secret), prefix: secret.slice(0, prefix.length + 7) };
}

export function hashOpaqueToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
