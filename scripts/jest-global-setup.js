// One embedded PostgreSQL for the whole jest run; each test file makes its own database in it
// (plugin-sdk/src/testing/database.ts), so files run in parallel without seeing each other's rows.
// With TEST_DATABASE_URL set (a server you run yourself) no embedded server is started.
import { startEmbeddedPostgres } from './lib/embedded-postgres.mjs';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startEmbeddedPostgres({ prefix: 'oneservice-test-pg-' });
  process.env.TEST_DATABASE_URL = server.url;
  globalThis.__ONESERVICE_TEST_PG__ = server;
}
