import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectsPort } from '../../ports/objects.js';
import { rejectionStatus, unique, type ContractFixture, type MakeFixture } from './fixture.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/**
 * The objects port's observable behaviour, for every provider (local disk, S3/MinIO …). Keys live
 * under a prefix unique to each run of the suite.
 */
export function describeObjectsContract(providerName: string, make: MakeFixture<ObjectsPort>): void {
  describe(`objects port contract: ${providerName}`, () => {
    let fixture: ContractFixture<ObjectsPort>;
    const prefix = `${unique('contract')}/`;

    beforeAll(async () => {
      fixture = await make();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('puts a buffer and gets the same bytes, size, sha256 and content type back', async () => {
      const bytes = Buffer.from('{"epoch": 3, "loss": 0.25}\n');
      const before = Date.now();
      const info = await fixture.tenantA.put(`${prefix}metrics/epoch-3.json`, bytes, { contentType: 'application/json' });
      expect(info).toMatchObject({ key: `${prefix}metrics/epoch-3.json`, size: bytes.length, sha256: sha256(bytes), contentType: 'application/json' });
      expect(info.createdAt).toBeGreaterThanOrEqual(before - 5_000);
      expect(info.createdAt).toBeLessThanOrEqual(Date.now() + 5_000);
      const got = await fixture.tenantA.get(`${prefix}metrics/epoch-3.json`);
      expect(got?.info).toEqual(info);
      expect(await readAll(got?.body as Readable)).toEqual(bytes);
      expect(await fixture.tenantA.head(`${prefix}metrics/epoch-3.json`)).toEqual(info);
    });

    it('streams a large body in, computing sha256 and size on the way', async () => {
      const chunk = Buffer.alloc(256 * 1024);
      const chunks = Array.from({ length: 24 }, (_, i) => Buffer.from(chunk.fill(i)));
      const whole = Buffer.concat(chunks);
      const info = await fixture.tenantA.put(`${prefix}weights/model.bin`, Readable.from(chunks));
      expect(info).toMatchObject({ size: whole.length, sha256: sha256(whole), contentType: 'application/octet-stream' });
      const got = await fixture.tenantA.get(`${prefix}weights/model.bin`);
      expect(sha256(await readAll(got?.body as Readable))).toBe(sha256(whole));
    });

    it('stores an empty object', async () => {
      const info = await fixture.tenantA.put(`${prefix}empty`, Buffer.alloc(0));
      expect(info).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      expect((await readAll((await fixture.tenantA.get(`${prefix}empty`))?.body as Readable)).length).toBe(0);
    });

    it('overwrites an existing key', async () => {
      await fixture.tenantA.put(`${prefix}over/write.txt`, Buffer.from('first'));
      const info = await fixture.tenantA.put(`${prefix}over/write.txt`, Buffer.from('second version'), { contentType: 'text/plain' });
      expect(info).toMatchObject({ size: 14, sha256: sha256(Buffer.from('second version')), contentType: 'text/plain' });
      expect((await readAll((await fixture.tenantA.get(`${prefix}over/write.txt`))?.body as Readable)).toString()).toBe('second version');
      expect((await fixture.tenantA.list(`${prefix}over/`)).map((o) => o.key)).toEqual([`${prefix}over/write.txt`]);
    });

    it('answers null for a key that does not exist', async () => {
      expect(await fixture.tenantA.get(`${prefix}missing`)).toBeNull();
      expect(await fixture.tenantA.head(`${prefix}missing`)).toBeNull();
    });

    it('lists by prefix, in key order', async () => {
      const dir = `${prefix}list/`;
      for (const name of ['b.txt', 'a/2.txt', 'a/1.txt', 'c']) await fixture.tenantA.put(`${dir}${name}`, Buffer.from(name));
      await fixture.tenantA.put(`${prefix}listing-not-included`, Buffer.from('x'));
      const listed = await fixture.tenantA.list(dir);
      expect(listed.map((o) => o.key)).toEqual(['a/1.txt', 'a/2.txt', 'b.txt', 'c'].map((n) => `${dir}${n}`));
      expect(listed[0]).toMatchObject({ size: 7, sha256: sha256(Buffer.from('a/1.txt')) });
      expect((await fixture.tenantA.list(`${dir}a/`)).map((o) => o.key)).toEqual([`${dir}a/1.txt`, `${dir}a/2.txt`]);
      expect(await fixture.tenantA.list(`${prefix}nothing-here/`)).toEqual([]);
    });

    it('deletes, and says whether there was something to delete', async () => {
      await fixture.tenantA.put(`${prefix}gone/soon.txt`, Buffer.from('bye'));
      expect(await fixture.tenantA.delete(`${prefix}gone/soon.txt`)).toBe(true);
      expect(await fixture.tenantA.get(`${prefix}gone/soon.txt`)).toBeNull();
      expect(await fixture.tenantA.list(`${prefix}gone/`)).toEqual([]);
      expect(await fixture.tenantA.delete(`${prefix}gone/soon.txt`)).toBe(false);
    });

    it.each([
      ['a parent segment', '../escape.txt'],
      ['a parent segment inside', 'a/../../escape.txt'],
      ['an absolute path', '/etc/passwd'],
      ['a backslash', 'a\\b.txt'],
      ['a NUL', 'a\u0000b'],
      ['nothing', ''],
    ])('refuses a key with %s (400)', async (_name, key) => {
      expect(await rejectionStatus(fixture.tenantA.put(key, Buffer.from('x')))).toBe(400);
      expect(await rejectionStatus(fixture.tenantA.get(key))).toBe(400);
    });

    it('presigns with a URL or answers null when the store has none', async () => {
      await fixture.tenantA.put(`${prefix}signed.txt`, Buffer.from('s'));
      const url = await fixture.tenantA.presign(`${prefix}signed.txt`, 'get', 60);
      if (url !== null) expect(url).toMatch(/^https?:\/\//);
    });

    it('isolates tenants: another tenant can neither read, list nor delete these objects', async () => {
      const key = `${prefix}private/secret.bin`;
      await fixture.tenantA.put(key, Buffer.from('tenant a only'));
      const b = fixture.tenantB;
      expect(await b.get(key)).toBeNull();
      expect(await b.head(key)).toBeNull();
      expect(await b.list(prefix)).toEqual([]);
      expect(await b.list('')).not.toEqual(expect.arrayContaining([expect.objectContaining({ key })]));
      expect(await b.delete(key)).toBe(false);
      await b.put(key, Buffer.from('tenant b'));
      expect((await readAll((await b.get(key))?.body as Readable)).toString()).toBe('tenant b');
      expect((await readAll((await fixture.tenantA.get(key))?.body as Readable)).toString()).toBe('tenant a only');
      expect(await b.delete(key)).toBe(true);
      expect(await fixture.tenantA.head(key)).toMatchObject({ key, size: 13 });
    });
  });
}
