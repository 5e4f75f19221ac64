import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@oneservice/plugin-sdk/testing';
import { LocalObjectStore } from '../src/server/local-object-store.js';
import { migrations } from '../src/server/migrations/index.js';
import { normaliseKey } from '../src/server/object-key.js';

/** What the local-disk store adds beyond the port contract (which objects-contract.test.ts runs). */
describe('LocalObjectStore', () => {
  let database: TestDatabase;
  let dataDir: string;
  let root: string;
  const tenantId = randomUUID();
  let store: LocalObjectStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const name of Object.keys(migrations).sort()) await migrations[name]?.up(database.knex);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'objects-local-'));
    root = path.join(dataDir, 'objects');
    store = new LocalObjectStore(database.knex, tenantId, root);
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('normalises keys and refuses those that could leave the tenant folder', () => {
    expect(normaliseKey('runs//r1/./ckpt.pt')).toBe('runs/r1/ckpt.pt');
    expect(normaliseKey('./a')).toBe('a');
    for (const bad of ['..', 'a/..', 'C:/x', 'a/', 'line\nbreak', 'x'.repeat(1025)]) expect(() => normaliseKey(bad)).toThrow(/Invalid object key/);
  });

  it('writes the bytes under <dataDir>/objects/<tenant>/<key>', async () => {
    const info = await store.put('runs//r1/./ckpt.pt', Buffer.from('weights'));
    expect(info.key).toBe('runs/r1/ckpt.pt');
    expect(await readFile(path.join(root, tenantId, 'runs', 'r1', 'ckpt.pt'), 'utf8')).toBe('weights');
    expect(await store.head('runs/r1/ckpt.pt')).toEqual(info);
  });

  it('leaves nothing behind when the upload stream fails', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put('broken/upload.bin', failing)).rejects.toThrow('client went away');
    expect(await store.head('broken/upload.bin')).toBeNull();
    expect(existsSync(path.join(root, tenantId, 'broken', 'upload.bin'))).toBe(false);
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('answers 409 when a key is also used as a folder', async () => {
    await store.put('clash/file', Buffer.from('x'));
    await expect(store.put('clash/file/inner', Buffer.from('y'))).rejects.toMatchObject({ status: 409 });
    await expect(store.put('clash', Buffer.from('z'))).rejects.toMatchObject({ status: 409 });
    expect((await store.list('clash')).map((o) => o.key)).toEqual(['clash/file']);
  });

  it('removes folders a delete leaves empty, but not the tenant folder', async () => {
    await store.put('deep/er/still/file.txt', Buffer.from('x'));
    expect(await store.delete('deep/er/still/file.txt')).toBe(true);
    expect(existsSync(path.join(root, tenantId, 'deep'))).toBe(false);
    expect(existsSync(path.join(root, tenantId))).toBe(true);
  });

  it('treats % and _ in a list prefix as characters', async () => {
    await store.put('pct/100%_done', Buffer.from('x'));
    await store.put('pct/100x_done', Buffer.from('x'));
    expect((await store.list('pct/100%')).map((o) => o.key)).toEqual(['pct/100%_done']);
  });

  it('keeps file and metadata from the same upload under concurrent puts of one key', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(`version ${i} `.repeat(1000 + i)));
    await Promise.all(bodies.map((body) => store.put('race/key', Readable.from([body.subarray(0, 100), body.subarray(100)]))));
    const got = await store.get('race/key');
    const chunks: Buffer[] = [];
    for await (const chunk of got?.body as Readable) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(got?.info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(got?.info.size).toBe(bytes.length);
  });
});
