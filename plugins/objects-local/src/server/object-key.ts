import { ProblemError } from '@oneservice/plugin-sdk';

export const MAX_KEY_LENGTH = 1024;
export const MAX_SEGMENT_BYTES = 255;

/**
 * Checks an object key and returns its normal form (`a//./b` → `a/b`). A key becomes a path under
 * the tenant's folder, so anything that could leave that folder or mean something else on some
 * filesystem is refused outright rather than cleaned: `..` segments, absolute paths, backslashes,
 * NUL and other control characters, and a trailing `/` (that would name a folder, not an object).
 */
export function normaliseKey(key: string): string {
  const refuse = (why: string) => new ProblemError(400, 'Bad Request', `Invalid object key: ${why}`, [{ path: 'key', message: why }]);
  if (typeof key !== 'string' || key.length === 0) throw refuse('the key is empty');
  if (key.length > MAX_KEY_LENGTH) throw refuse(`longer than ${MAX_KEY_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(key)) throw refuse('control characters (NUL, newline …) are not allowed');
  if (key.includes('\\')) throw refuse('backslashes are not allowed; use / between segments');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw refuse('absolute paths are not allowed');
  if (key.endsWith('/')) throw refuse('a key cannot end with /');
  const segments = key.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw refuse("'..' segments are not allowed");
  if (segments.length === 0) throw refuse('the key names no object');
  // Each segment becomes a file or folder name: filesystems stop at 255 bytes (NAME_MAX).
  if (segments.some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) throw refuse(`a segment between / is longer than ${MAX_SEGMENT_BYTES} bytes`);
  return segments.join('/');
}

/** Tenant ids name a folder: only the characters a kernel id (a UUID) uses. */
export function checkTenantId(tenantId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(tenantId)) throw new Error(`'${tenantId}' cannot name a tenant folder`);
  return tenantId;
}
