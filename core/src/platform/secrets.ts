import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Secrets } from '@oneservice/plugin-sdk';

const SETTING_KEY = 'platform.secret_key';

/**
 * The platform's root secret: ONESERVICE_SECRET_KEY, or one generated on first boot and kept in the
 * settings table so that every node of one installation shares it. Production installs should set
 * the variable so that a database dump alone does not unseal datasource credentials.
 */
export async function loadRootSecret(knex: Knex, configured: string | undefined): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const existing = await knex('settings').whereNull('tenant_id').andWhere('key', SETTING_KEY).first();
  if (existing) return Buffer.from(existing.value.hex as string, 'hex');
  const generated = randomBytes(32);
  await knex('settings').insert({ tenant_id: null, key: SETTING_KEY, value: { hex: generated.toString('hex') } }).onConflict(knex.raw('(tenant_id, key)')).ignore();
  const stored = await knex('settings').whereNull('tenant_id').andWhere('key', SETTING_KEY).first();
  return Buffer.from(stored.value.hex as string, 'hex');
}

/** Derives independent keys (JWT signing, sealing) from the root secret. */
export function deriveKey(root: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `oneservice:${purpose}`, 32));
}

export function createSecrets(key: Buffer): Secrets {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
