// A throw-away embedded PostgreSQL for the jest run and the store benchmarks: a fresh cluster in a
// temporary folder on a free port, gone again after stop(). It is the platform's own starter
// (core/src/db/embedded-postgres.ts, built by `npm run build`), so it runs wherever the platform
// does (as root: as the postgres user, placed where that user can reach it); this one is for code
// that talks to a database directly.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCRATCH_RUNTIME_DIR, freePort } from './platform-process.mjs';

const dist = path.resolve(import.meta.dirname, '..', '..', 'core', 'dist');

/**
 * Durability is off (fsync, synchronous_commit): nothing here outlives the process, and it keeps
 * test and benchmark figures about the code rather than about the disk.
 * @returns {Promise<{ url: string, stop(): Promise<void> }>}
 */
export async function startEmbeddedPostgres({ prefix = 'oneservice-pg-' } = {}) {
  const built = path.join(dist, 'db', 'embedded-postgres.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first (npm test does)`);
  const { startEmbeddedPostgres: start, removeDataDir } = await import(built);
  const { createLogger } = await import(path.join(dist, 'logger.js'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const pg = await start({
    dataDir, port: await freePort(), database: 'postgres', logger: createLogger('warn'),
    runtimeDir: process.env.EMBEDDED_PG_RUNTIME_DIR ?? SCRATCH_RUNTIME_DIR,
    settings: { max_connections: 300, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  return {
    url: pg.url,
    async stop() {
      await pg.stop();
      removeDataDir(dataDir);
    },
  };
}

/** `DATABASE_URL` when set (a server you run yourself, left as it was), else a throw-away embedded one. */
export async function benchDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  return { ...(await startEmbeddedPostgres({ prefix: 'oneservice-bench-pg-' })), embedded: true };
}
