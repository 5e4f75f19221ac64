import { badRequest, conflict, scopeToTenant, type ObjectInfo, type ObjectsPort, type TenantDb } from '@oneservice/plugin-sdk';
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkTenantId, normaliseKey } from './object-key.js';

interface EntryRow {
  key: string;
  size: string | number;
  sha256: string;
  content_type: string;
  created_at: Date;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The objects port on local disk: bytes under `<root>/<tenantId>/<key>`, metadata in PostgreSQL.
 * `root` is `<dataDir>/objects`; uploads are written under `<root>/.tmp` first and renamed into
 * place, so a reader never sees a half-written object and a failed upload leaves nothing behind.
 */
export class LocalObjectStore implements ObjectsPort {
  private readonly db: TenantDb;
  private readonly tenantDir: string;
  private readonly tmpDir: string;

  constructor(knex: Knex, tenantId: string, root: string) {
    this.db = scopeToTenant(knex, tenantId);
    this.tenantDir = path.join(root, checkTenantId(tenantId));
    this.tmpDir = path.join(root, '.tmp');
  }

  async put(rawKey: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<ObjectInfo> {
    const key = normaliseKey(rawKey);
    const target = this.pathOf(key);
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer | string, _encoding, done) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(bytes);
        size += bytes.length;
        done(null, bytes);
      },
    });
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, measure, createWriteStream(tmp, { flags: 'wx' }));
      await mkdir(path.dirname(target), { recursive: true });
      const row = { key, size, sha256: hash.digest('hex'), content_type: options?.contentType || DEFAULT_CONTENT_TYPE, created_at: new Date() };
      // The lock orders concurrent puts and deletes of one key, so the file on disk and its
      // metadata row always come from the same upload.
      await this.db.transaction(async (tx) => {
        await this.lockKey(tx, key);
        await rename(tmp, target);
        await tx.insert('object_entries', row).onConflict(['tenant_id', 'key']).merge();
      });
      return toInfo(row);
    } catch (error) {
      await rm(tmp, { force: true });
      throw pathConflict(error, key);
    }
  }

  async get(rawKey: string): Promise<{ info: ObjectInfo; body: Readable } | null> {
    const info = await this.head(rawKey);
    if (!info) return null;
    try {
      // Opened before returning, so a missing file is a null here rather than an error mid-stream.
      const handle = await open(this.pathOf(info.key), 'r');
      return { info, body: handle.createReadStream() };
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
  }

  async head(rawKey: string): Promise<ObjectInfo | null> {
    const key = normaliseKey(rawKey);
    const row = (await this.db.table('object_entries').where('key', key).first()) as EntryRow | undefined;
    return row ? toInfo(row) : null;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    if (prefix.includes('\u0000')) throw badRequest('A prefix cannot contain NUL');
    const rows = (await this.db
      .table('object_entries')
      .whereLike('key', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
      .orderBy('key')) as EntryRow[];
    return rows.map(toInfo);
  }

  async delete(rawKey: string): Promise<boolean> {
    const key = normaliseKey(rawKey);
    return this.db.transaction(async (tx) => {
      await this.lockKey(tx, key);
      const deleted = await tx.table('object_entries').where('key', key).delete();
      if (deleted === 0) return false;
      await unlink(this.pathOf(key)).catch((error: unknown) => {
        if (!isErrno(error, 'ENOENT')) throw error;
      });
      await this.pruneEmptyFolders(path.dirname(this.pathOf(key)));
      return true;
    });
  }

  /** Local disk has no presigned URLs: the platform streams objects through its own routes instead. */
  async presign(): Promise<string | null> {
    return null;
  }

  private pathOf(key: string): string {
    return path.join(this.tenantDir, ...key.split('/'));
  }

  private async lockKey(tx: TenantDb, key: string): Promise<void> {
    await tx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`objects/${tx.tenantId}/${key}`]);
  }

  /** Removes folders a delete left empty, up to (not including) the tenant folder. */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    let current = folder;
    while (current.startsWith(this.tenantDir + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
      current = path.dirname(current);
    }
  }
}

function toInfo(row: EntryRow): ObjectInfo {
  return { key: row.key, size: Number(row.size), sha256: row.sha256, contentType: row.content_type, createdAt: row.created_at.getTime() };
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A key that is also a folder of other keys (or the reverse) cannot exist on a filesystem. */
function pathConflict(error: unknown, key: string): unknown {
  if (isErrno(error, 'EISDIR') || isErrno(error, 'ENOTDIR') || isErrno(error, 'EEXIST') || isErrno(error, 'ENOTEMPTY')) {
    return conflict(`Object key '${key}' clashes with another key that uses it as a folder (or that it uses as one)`);
  }
  return error;
}
